import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FailedBatchMessage } from './failed-batches';

/** How long a taken message stays hidden from other readers while its jobs are recounted. */
const VISIBILITY_SECONDS = 900;

/**
 * The deployed stack's on-failure queue, where Lambda puts the stream
 * batches the aggregator gave up on: read ten at a time, each deleted once its
 * jobs are recounted; one that could not be handled reappears when its
 * visibility ends.
 */
export function queueOfFailedBatches(queueUrl: string, region: string | undefined) {
  const sqs = new SQSClient(region ? { region } : {});
  const receipts = new WeakMap<FailedBatchMessage, string>();
  return {
    async take(): Promise<FailedBatchMessage[]> {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: VISIBILITY_SECONDS,
        }),
      );
      return (Messages ?? []).map((raw) => {
        const message = JSON.parse(raw.Body ?? '{}') as FailedBatchMessage;
        if (!message.DDBStreamBatchInfo)
          throw new Error(`${queueUrl} holds a message that is not a stream batch's failure: ${raw.Body}`);
        receipts.set(message, raw.ReceiptHandle!);
        return message;
      });
    },
    async done(message: FailedBatchMessage): Promise<void> {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipts.get(message)! }));
    },
    keep: async () => undefined,
  };
}
