/**
 * The one definition of the jobs table, read by the CDK stack and by the local
 * runner, so the deployed and the local table cannot drift. Plain data: no AWS
 * imports, so Lambda bundles and CDK both take it as is.
 */
export const JOBS_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Sparse LSI over a thing's partition: only pending executions carry
   * `pendingKey`, sorted so the next one to serve comes first. An LSI (not a
   * GSI) because StartNext must read it strongly consistently.
   */
  pendingIndex: { name: 'pending', sortKey: 'pendingKey' },
  /**
   * Sparse GSI of running timers: only IN_PROGRESS executions with a deadline
   * carry `deadlineAt`. Partitioned over a fixed set of shards so that
   * neither deadline writes nor the sweep's reads pile onto one partition, and
   * sorted by deadline so a sweep reads only what has expired. Keys only: the
   * sweep needs nothing else to write a conditional timeout.
   */
  deadlineIndex: { name: 'deadlines', partitionKey: 'timerShard', sortKey: 'deadlineAt', shardCount: 16 },
  /**
   * GSI of a job's executions, for ListJobExecutionsForJob and the cascades of
   * CancelJob and DeleteJob. Keyed `<jobId>#<shard>` so that 100,000 devices
   * of one job write to 8 index partitions, not one; sorted by thing name.
   * Both keys are fixed at creation, so a cascade paging through it never
   * misses an execution that changed status meanwhile.
   */
  jobExecutionsIndex: {
    name: 'executionsByJob',
    partitionKey: 'jobShard',
    sortKey: 'thingName',
    shardCount: 8,
    projected: [
      'jobId',
      'status',
      'queuedAt',
      'startedAt',
      'lastUpdatedAt',
      'executionNumber',
      'versionNumber',
      'stepDeadlineAt',
      'inProgressDeadlineAt',
    ],
  },
  /** GSI of all jobs, newest first, for ListJobs (job items only; jobs are written rarely, so one partition does). */
  jobListIndex: {
    name: 'jobs',
    partitionKey: 'jobListPartition',
    sortKey: 'jobListKey',
    projected: ['jobId', 'jobArn', 'status', 'createdAt', 'lastUpdatedAt', 'completedAt'],
  },
  /**
   * Sparse GSI of the registry's lists, whole items: `THINGS` sorted by thing
   * name for ListThings, and (next) the thing groups and their members under
   * partitions of their own. One index for all of them, because CloudFormation
   * adds one index per stack update: the registry can grow without another.
   * Things sit in one partition: they are registered through the management
   * API, whose stage limit (50 a second) is far below a partition's 1,000
   * writes.
   */
  registryIndex: {
    name: 'registry',
    partitionKey: 'registryList',
    sortKey: 'registryKey',
  },
} as const;

/** CreateTable input for DynamoDB Local and tests (on-demand, like the stack). */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: JOBS_TABLE.partitionKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.sortKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.pendingIndex.sortKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.deadlineIndex.partitionKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.deadlineIndex.sortKey, AttributeType: 'N' as const },
      { AttributeName: JOBS_TABLE.jobExecutionsIndex.partitionKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.jobExecutionsIndex.sortKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.jobListIndex.partitionKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.jobListIndex.sortKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.registryIndex.partitionKey, AttributeType: 'S' as const },
      { AttributeName: JOBS_TABLE.registryIndex.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: JOBS_TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: JOBS_TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: JOBS_TABLE.pendingIndex.name,
        KeySchema: [
          { AttributeName: JOBS_TABLE.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: JOBS_TABLE.pendingIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: JOBS_TABLE.deadlineIndex.name,
        KeySchema: [
          { AttributeName: JOBS_TABLE.deadlineIndex.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: JOBS_TABLE.deadlineIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      },
      {
        IndexName: JOBS_TABLE.jobExecutionsIndex.name,
        KeySchema: [
          { AttributeName: JOBS_TABLE.jobExecutionsIndex.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: JOBS_TABLE.jobExecutionsIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: {
          ProjectionType: 'INCLUDE' as const,
          NonKeyAttributes: [...JOBS_TABLE.jobExecutionsIndex.projected],
        },
      },
      {
        IndexName: JOBS_TABLE.jobListIndex.name,
        KeySchema: [
          { AttributeName: JOBS_TABLE.jobListIndex.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: JOBS_TABLE.jobListIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...JOBS_TABLE.jobListIndex.projected] },
      },
      {
        IndexName: JOBS_TABLE.registryIndex.name,
        KeySchema: [
          { AttributeName: JOBS_TABLE.registryIndex.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: JOBS_TABLE.registryIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
  };
}
