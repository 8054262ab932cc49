import type { Context } from 'aws-lambda';
import type { SweepReport } from '../../jobs/execution/timeout-sweep';
import { SWEEP_METRICS } from '../../metrics';
import { runtimeServices } from '../../runtime';
import { withMetrics } from '../metric-line';

/** Stop starting pages this long before Lambda's time limit: a page's writes finish well inside it. */
const STOP_BEFORE_LIMIT_MS = 10_000;

/**
 * Runs on the EventBridge schedule. A run that cannot finish in time stops
 * between pages and the next run carries on; a run that dies half-way leaves
 * nothing half-written, because every timeout is one conditional write.
 */
export async function handler(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'awsRequestId'>>,
): Promise<SweepReport> {
  const report = await runtimeServices().sweepTimers({
    hasTimeLeft: () => context.getRemainingTimeInMillis() > STOP_BEFORE_LIMIT_MS,
  });
  const line = {
    level: report.complete ? 'info' : 'warn',
    message: 'timeout sweep',
    requestId: context.awsRequestId ?? 'unknown',
    ...report,
  };
  // The line is the sweep's metrics too (embedded metric format): executions timed out per sweep, and its cost.
  const metrics = withMetrics(line, Date.now(), {
    [SWEEP_METRICS.timedOut]: [report.timedOut, 'Count'],
    [SWEEP_METRICS.indexItemsRead]: [report.indexItemsRead, 'Count'],
    [SWEEP_METRICS.incomplete]: [report.complete ? 0 : 1, 'Count'],
  });
  (report.complete ? console.info : console.warn)(JSON.stringify(metrics));
  return report;
}
