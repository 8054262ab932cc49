import type { SweepReport } from '../../lambdas/jobs/execution/timeout-sweep';
import { toFractionalSeconds } from '../../lambdas/jobs/shared/clock';
import type { ControllableClock } from './controllable-clock';

/** Local-only paths: AWS's APIs have none starting with `/_`, so they cannot clash. */
export const CLOCK_PATH = '/_local/clock';
export const ADVANCE_PATH = `${CLOCK_PATH}/advance`;
/** Ten years: enough for any timeout (at most 7 days), small enough to stay a sane date. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

export interface LocalResponse {
  statusCode: number;
  body: unknown;
}

/** A handler for paths the local runner serves itself; undefined when the path is not its own. */
export type LocalHandler = (method: string, path: string, body: Buffer) => Promise<LocalResponse | undefined>;

/**
 * GET /_local/clock shows the service's time; POST /_local/clock/advance
 * {"seconds": n} moves it forward and runs the schedule's tick at once
 * (`tick`: the timeout sweep, and the releases of rollouts whose next window
 * opened), so what falls due is written before the call returns.
 */
export function clockControl(clock: ControllableClock, sweep: () => Promise<SweepReport>): LocalHandler {
  const state = () => {
    const now = clock.now();
    return {
      now: toFractionalSeconds(now),
      nowIso: new Date(now).toISOString(),
      offsetSeconds: toFractionalSeconds(clock.offsetMs()),
    };
  };
  return async (method, path, body) => {
    if (path === CLOCK_PATH && method === 'GET') return { statusCode: 200, body: state() };
    if (path !== ADVANCE_PATH || method !== 'POST') return undefined;
    let seconds: unknown;
    try {
      seconds = (JSON.parse(body.toString('utf8') || '{}') as { seconds?: unknown }).seconds;
    } catch {
      return { statusCode: 400, body: { message: 'request body: not valid JSON' } };
    }
    if (typeof seconds !== 'number' || !(seconds > 0) || seconds > MAX_ADVANCE_SECONDS) {
      return {
        statusCode: 400,
        body: { message: `seconds: must be a number greater than 0 and at most ${MAX_ADVANCE_SECONDS}` },
      };
    }
    clock.advance(seconds * 1000);
    return { statusCode: 200, body: { ...state(), sweep: await sweep() } };
  };
}
