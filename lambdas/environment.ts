/**
 * The environment variables a Lambda function of this service reads, by what
 * they mean. The stack sets them (infra/), runtime.ts reads them, tests set
 * them: all through this one map, so a renamed variable cannot leave one of
 * them behind. Plain data, so CDK code can import it without the runtime.
 */
export const ENVIRONMENT = {
  /** The jobs table (set by the stack). */
  tableName: 'JOBS_TABLE_NAME',
  /** A DynamoDB endpoint other than AWS's: DynamoDB Local, in tests. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  /** The account and partition in the ARNs the service answers with (set by the stack). */
  accountId: 'JOBS_ACCOUNT_ID',
  partition: 'JOBS_PARTITION',
  /** The device API's DeviceAuthPolicy: `principal` or `subject-cn` behind mutual TLS, `open` in a sandbox. */
  deviceAuth: 'JOBS_DEVICE_AUTH',
  /** `true`: jobs may target things that are not registered (the stack's implicitThings setting). */
  implicitThings: 'JOBS_IMPLICIT_THINGS',
  /** The SQS queue of job work (fan-outs and cascades; set by the stack on the functions that request work). */
  workQueueUrl: 'JOBS_WORK_QUEUE_URL',
  /** The EventBridge bus job events go to (set by the stack on the counts aggregator, which publishes them). */
  eventBusName: 'JOBS_EVENT_BUS_NAME',
  /** Days an execution's history entry is kept (the counts aggregator writes them); 0 keeps none. Default 30. */
  historyRetentionDays: 'JOBS_HISTORY_RETENTION_DAYS',
  /** Where the device API answers (host, and path if any; set by the stack on DescribeEndpoint's function). */
  deviceEndpoint: 'JOBS_DEVICE_ENDPOINT',
  /** Which API a catch-all function answers for (`device` or `management`): the operations it names are that API's. */
  apiName: 'JOBS_API_NAME',
  /** Set by Lambda itself. */
  region: 'AWS_REGION',
  /** `error` logs failed requests only when they are unexpected (the tests set it). */
  logLevel: 'LOG_LEVEL',
} as const;

export type EnvironmentName = (typeof ENVIRONMENT)[keyof typeof ENVIRONMENT];
