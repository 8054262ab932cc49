import type { BindableRoute } from '../../lambdas/api/define-route';
import type { RequestLogSink } from '../../lambdas/api/http/request-log';
import type { RouteHandler } from '../../lambdas/api/http/route-handler';
import { type ApiName, handlerModulePath, ROUTES } from '../../lambdas/api/routes';
import type { Services } from '../../lambdas/runtime';
import type { MountedRoute } from './api-gateway-adapter';

/** How the mounted routes keep up with the table's stream. */
export interface StreamSettling {
  /** Lets the stream catch up with the writes so far and what they caused (bounded: see stream/catch-up.ts). */
  catchUp: () => Promise<void>;
  /**
   * A write answers only once the stream has handled what it caused (counts, COMPLETED, a continuous job's joiners,
   * events, history), so the caller's next request, on any route, sees it. Off, only the reads that show aggregates
   * catch up first.
   */
  settleWrites: boolean;
}

/**
 * Mounts each route's Lambda handler module, bound to this service's own
 * dependencies. Deployed, what the table's stream derives trails a write by a
 * moment; here a route whose answer shows it first lets the stream catch up,
 * and a write lets it catch up before answering, so a caller reads its own
 * writes without sleeping.
 */
export async function mountRoutes(
  api: ApiName,
  services: Services,
  settling: StreamSettling,
  requestLog?: RequestLogSink,
): Promise<MountedRoute[]> {
  return await Promise.all(
    ROUTES.filter((route) => route.api === api).map(async (route) => {
      const module = (await import(handlerModulePath(route.handlerFile))) as Pick<BindableRoute, 'bind'>;
      const handler = module.bind(() => services, requestLog);
      const before = route.showsAggregates;
      const after = settling.settleWrites && route.method !== 'GET';
      if (!before && !after) return { route, handler };
      const settled: RouteHandler = async (event) => {
        if (before) await settling.catchUp();
        const answer = await handler(event);
        if (after) await settling.catchUp();
        return answer;
      };
      return { route, handler: settled };
    }),
  );
}
