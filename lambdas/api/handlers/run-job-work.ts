import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { JobWorkMessage } from '../../queue/sqs-work-queue';
import { runtimeServices } from '../../runtime';

/** Stop starting steps this long before Lambda's time limit: a step's writes finish well inside it, and the rest is queued again. */
const STOP_BEFORE_LIMIT_MS = 60_000;

/** What EventBridge's schedule sends: no Records. */
type ScheduledEvent = { source?: string; Records?: undefined };

/**
 * The job worker. From SQS: runs each message's job work until it is done or
 * time runs short (then it queues the rest itself); a run that fails is
 * reported so SQS delivers that message again. From the schedule: asks again
 * for the work of every job whose worker died.
 */
export async function handler(event: SQSEvent | ScheduledEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse | { resumed: string[] }> {
  const services = runtimeServices();
  if (!event.Records) return { resumed: await services.jobWork.resumeStalled() };
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const { jobId } = JSON.parse(record.body) as JobWorkMessage;
      const result = await services.jobWork.run(jobId, { hasTimeLeft: () => context.getRemainingTimeInMillis() > STOP_BEFORE_LIMIT_MS });
      console.info(JSON.stringify({ level: 'info', message: 'job work', jobId, result }));
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'job work failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
