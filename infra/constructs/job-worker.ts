import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_WORKER } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { handlerFunction } from './handler-function';
import { anyMessageAlarm } from './queue-alarm';

/** The worker's time limit: a run stops starting steps a minute before it and queues the rest itself. */
export const JOB_WORKER_TIMEOUT = Duration.minutes(5);

/** Concurrency set aside for the worker: fan-outs of this many jobs at once, each at full speed. */
export const JOB_WORKER_RESERVED_CONCURRENCY = 4;

export interface JobWorkerProps {
  table: ITable;
  reserveConcurrency?: boolean;
  logRetention?: RetentionDays;
}

/**
 * Job work off the request path: the queue CreateJob, CancelJob and DeleteJob
 * hand their fan-outs and cascades to, the worker that takes each message,
 * and a schedule that asks again for work whose worker died (its lease ran
 * out). SQS over Step Functions: a job's work is one resumable loop whose
 * state lives in its work record, so a message need carry only the jobId;
 * SQS gives at-least-once delivery, redelivery on failure and a dead-letter
 * queue, and scales with the worker's concurrency, for no state machine
 * charges per step.
 */
export class JobWorker extends Construct {
  readonly function: NodejsFunction;
  readonly queue: Queue;
  /** Messages whose runs kept failing: the schedule asks again for their jobs; an alarm says a run keeps failing. */
  readonly deadLetters: Queue;
  readonly deadLettersAlarm: Alarm;
  readonly resumeRule: Rule;

  constructor(scope: Construct, id: string, props: JobWorkerProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker's limit, as Lambda asks of an event source queue: a message is never handed out twice
      // while its run can still be going.
      visibilityTimeout: Duration.seconds(JOB_WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: JOB_WORKER.maxReceiveCount },
    });
    this.function = handlerFunction(this, JOB_WORKER.id, {
      handlerFile: JOB_WORKER.handlerFile,
      table: props.table,
      tableActions: JOB_WORKER.tableActions,
      queryIndex: JOB_WORKER.queryIndexes,
      timeout: JOB_WORKER_TIMEOUT,
      // A fan-out writes as fast as DynamoDB takes it: more memory, more CPU for the marshalling.
      memorySize: 1024,
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrency: JOB_WORKER_RESERVED_CONCURRENCY }),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: { [ENVIRONMENT.workQueueUrl]: this.queue.queueUrl },
    });
    // It queues the rest of a job's work itself when its time runs short.
    this.queue.grantSendMessages(this.function);
    this.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    this.resumeRule = new Rule(this, 'ResumeSchedule', {
      description: 'Asks again for job work (fan-outs, cascades) whose worker died',
      schedule: Schedule.rate(Duration.minutes(JOB_WORKER.resumeEveryMinutes)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
    this.deadLettersAlarm = anyMessageAlarm(
      this,
      'DeadLettersAlarm',
      this.deadLetters,
      'A job work run (fan-out or cascade) failed again and again; see the RunJobWork logs. The schedule asks for the job again every minute.',
    );
  }

  /** A function that may hand work to the queue: told where it is, allowed to send to it. */
  allowRequests(fn: NodejsFunction): void {
    fn.addEnvironment(ENVIRONMENT.workQueueUrl, this.queue.queueUrl);
    this.queue.grantSendMessages(fn);
  }
}
