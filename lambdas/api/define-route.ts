import type { RawRequest } from './http/raw-request';
import { routeHandler, type RouteHandler } from './http/route-handler';
import { runtimeServices, type Services } from '../runtime';

/** Where a handler gets its services, asked on each request (so importing a handler configures nothing). */
export type ServicesSource = () => Services;

export interface BindableRoute {
  /** What Lambda invokes: on the services its environment configures. */
  handler: RouteHandler;
  /** The very same handler on services the caller chose: the local runner's, one set per running service. */
  bind(services: ServicesSource): RouteHandler;
}

export function defineRoute(
  operation: string,
  run: (services: Services, request: RawRequest) => Promise<object>,
  options: { maxBodyBytes?: number } = {},
): BindableRoute {
  const bind = (services: ServicesSource) => routeHandler(operation, (request) => run(services(), request), options);
  return { handler: bind(runtimeServices), bind };
}
