import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobWorkQueue } from '../jobs/work/job-work-store';

/** What a job work message carries: which job (its record says the rest). */
export interface JobWorkMessage {
  jobId: string;
}

/** The deployed job work queue: one SQS message per request, taken by the worker Lambda. */
export class SqsWorkQueue implements JobWorkQueue {
  private readonly sqs: SQSClient;

  constructor(
    private readonly queueUrl: string,
    region: string,
  ) {
    this.sqs = new SQSClient({ region });
  }

  async request(jobId: string): Promise<void> {
    const message: JobWorkMessage = { jobId };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }

  destroy(): void {
    this.sqs.destroy();
  }
}
