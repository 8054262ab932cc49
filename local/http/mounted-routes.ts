import type { BindableRoute } from '../../lambdas/api/define-route';
import type { RequestLogSink } from '../../lambdas/api/http/request-log';
import type { RouteHandler } from '../../lambdas/api/http/route-handler';
import { type ApiName, handlerModulePath, ROUTES } from '../../lambdas/api/routes';
import type { Services } from '../../lambdas/runtime';
import type { MountedRoute } from './api-gateway-adapter';

/**
 * Mounts each route's Lambda handler module, bound to this service's own
 * dependencies. A route whose answer shows aggregates first lets the stream
 * catch up (`catchUp` bounds the wait), so a caller reads its own writes
 * without sleeping.
 */
export async function mountRoutes(
  api: ApiName,
  services: Services,
  catchUp: () => Promise<void>,
  requestLog?: RequestLogSink,
): Promise<MountedRoute[]> {
  return await Promise.all(
    ROUTES.filter((route) => route.api === api).map(async (route) => {
      const module = (await import(handlerModulePath(route.handlerFile))) as Pick<BindableRoute, 'bind'>;
      const handler = module.bind(() => services, requestLog);
      if (!route.showsAggregates) return { route, handler };
      const afterCatchingUp: RouteHandler = async (event) => {
        await catchUp();
        return handler(event);
      };
      return { route, handler: afterCatchingUp };
    }),
  );
}
