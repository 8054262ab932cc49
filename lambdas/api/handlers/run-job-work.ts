import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { WorkRunResult, WorkTally } from '../../jobs/work/job-work';
import { JOB_WORK_METRICS } from '../../metrics';
import type { JobWorkMessage } from '../../queue/sqs-work-queue';
import { runtimeServices } from '../../runtime';
import { withMetrics } from '../metric-line';

/**
 * Stop starting steps this long before Lambda's time limit: a step's writes finish well inside it, and the rest is
 * queued again.
 */
const STOP_BEFORE_LIMIT_MS = 60_000;

/** What EventBridge's schedule sends: no Records. */
type ScheduledEvent = { source?: string; Records?: undefined };

/**
 * The job worker. From SQS: runs each message's job work until it is done or
 * time runs short (then it queues the rest itself); a run that fails is
 * reported so SQS delivers that message again. From the schedule: asks again
 * for the work of every job whose worker died.
 */
export async function handler(
  event: SQSEvent | ScheduledEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'awsRequestId'>>,
): Promise<SQSBatchResponse | { resumed: string[] }> {
  const services = runtimeServices();
  if (!event.Records) return { resumed: await services.jobWork.resumeStalled() };
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const started = Date.now();
    const tally: WorkTally = { fannedOut: 0, cascaded: 0 };
    let jobId: string | undefined;
    let result: WorkRunResult | undefined;
    let failure: unknown;
    try {
      jobId = (JSON.parse(record.body) as JobWorkMessage).jobId;
      result = await services.jobWork.run(jobId, {
        hasTimeLeft: () => context.getRemainingTimeInMillis() > STOP_BEFORE_LIMIT_MS,
        tally,
      });
    } catch (error) {
      failure = error;
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    logRun({
      requestId: context.awsRequestId ?? 'unknown',
      messageId: record.messageId,
      jobId,
      result,
      failure,
      tally,
      ms: Date.now() - started,
    });
  }
  return { batchItemFailures };
}

/** One line per message, its metrics embedded: fan-out and cascade progress, failures and time. */
function logRun(run: {
  requestId: string;
  messageId: string;
  jobId: string | undefined;
  result: WorkRunResult | undefined;
  failure: unknown;
  tally: WorkTally;
  ms: number;
}): void {
  const failed = run.failure !== undefined;
  const line = {
    level: failed ? 'error' : 'info',
    message: failed ? 'job work failed' : 'job work',
    requestId: run.requestId,
    messageId: run.messageId,
    ...(run.jobId ? { jobId: run.jobId } : {}),
    ...(run.result ? { result: run.result } : {}),
    ...(failed ? { error: String(run.failure) } : {}),
  };
  const withTally = withMetrics(line, Date.now(), {
    [JOB_WORK_METRICS.fannedOut]: [run.tally.fannedOut, 'Count'],
    [JOB_WORK_METRICS.cascaded]: [run.tally.cascaded, 'Count'],
    [JOB_WORK_METRICS.failed]: [failed ? 1 : 0, 'Count'],
    [JOB_WORK_METRICS.duration]: [run.ms, 'Milliseconds'],
  });
  (failed ? console.error : console.info)(JSON.stringify(withTally));
}
