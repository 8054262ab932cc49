import { runtimeServices, type Services } from '../runtime';
import type { S3SdkLoader } from '../s3/load-s3-sdk';
import type { RawRequest } from './http/raw-request';
import { lambdaRequestLog, type RequestLogSink } from './http/request-log';
import { type RouteHandler, routeHandler } from './http/route-handler';

/** Where a handler gets its services, asked on each request (so importing a handler configures nothing). */
export type ServicesSource = () => Services;

export interface BindableRoute {
  /** What Lambda invokes: on the services its environment configures. */
  handler: RouteHandler;
  /**
   * The very same handler on services the caller chose: the local runner's, one set per running service (with its own
   * request log, if any).
   */
  bind(services: ServicesSource, requestLog?: RequestLogSink): RouteHandler;
}

export function defineRoute(
  operation: string,
  run: (services: Services, request: RawRequest) => Promise<object>,
  options: {
    maxBodyBytes?: number;
    /**
     * loadS3Sdk, for a route that reads a documentSource or presigns URLs: only the bundles of the handlers that name
     * it hold S3's SDK.
     */
    s3Sdk?: S3SdkLoader;
  } = {},
): BindableRoute {
  const { s3Sdk, ...handling } = options;
  const bind = (services: ServicesSource, requestLog?: RequestLogSink) =>
    routeHandler(operation, (request) => run(services(), request), {
      ...handling,
      ...(requestLog ? { requestLog } : {}),
    });
  return { handler: bind(() => runtimeServices(s3Sdk), lambdaRequestLog), bind };
}
