import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ResourceAlreadyExistsException, ServiceUnavailableException } from '../domain/errors';
import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../domain/execution';
import type { JobRecord } from '../domain/job';
import type { DeviceUpdateCommand, ExecutionStore, ExpiredExecution, ExpiredPage, JobStore, StartCommand, TimerIndex, WriteOutcome } from '../domain/ports';
import { STOPPED_TIMERS, type TimerAssumptions, type TimerWrite } from '../domain/timers';
import { translateInfrastructureError } from './infrastructure-errors';
import { fromExecutionItem, keys, parseExecutionKey, toExecutionItem, toJobItem } from './items';
import { JOBS_TABLE } from './table-design';

/**
 * Condition clauses, named for the states they guard. Every state change is
 * one conditional write built from these; nothing is read-then-written blind.
 */
const CONDITION = {
  /** The item is there: UpdateItem would otherwise create a half-item. */
  exists: 'attribute_exists(pk)',
  /** The key is free: a jobId is taken once. */
  absent: 'attribute_not_exists(pk)',
  /** QUEUED or IN_PROGRESS: terminal executions never change again. */
  pending: '#status IN (:queued, :inProgress)',
  /** Before its deadline: at or after it the execution is TIMED_OUT, written or not, and takes no device update. */
  beforeDeadline: '(attribute_not_exists(deadlineAt) OR deadlineAt > :now)',
  /** Still QUEUED at the version read: of racing StartNext calls exactly one starts it. */
  queuedAsRead: '#status = :queued AND versionNumber = :readVersion',
  /** The device's optimistic lock (expectedVersion). */
  expectedVersion: 'versionNumber = :expectedVersion',
  /** The version an exact plan was computed from: anything written since invalidates the plan. */
  basisVersion: 'versionNumber = :basisVersion',
  /** The execution the device names is the current one. */
  executionNumber: 'executionNumber = :executionNumber',
  /**
   * Still IN_PROGRESS with the deadline that expired. A device's final status,
   * a new step timer written before the deadline, or another timeout written
   * first all make a timeout miss, so a timer never overwrites any of them.
   */
  runningPastDeadline: '#status = :inProgress AND deadlineAt = :deadline',
  /** Going IN_PROGRESS starts no in-progress timer: it already runs, or its job has none. */
  noInProgressTimerToStart: '(#status = :inProgress OR attribute_not_exists(inProgressTimeoutMinutes))',
  /** No in-progress deadline before the new step deadline: the step deadline is the effective one. */
  inProgressDeadlineNotBefore: '(attribute_not_exists(inProgressDeadlineAt) OR inProgressDeadlineAt >= :inProgressDeadlineFloor)',
  /** No in-progress deadline: removing the step timer leaves no deadline. */
  noInProgressDeadline: 'attribute_not_exists(inProgressDeadlineAt)',
} as const;

const STATUS_NAMES = { '#status': 'status' };
const PENDING_VALUES = { ':queued': 'QUEUED', ':inProgress': 'IN_PROGRESS' };

/** Conditions and their values, collected clause by clause. */
class Conditions {
  private readonly clauses: string[] = [];
  readonly values: Record<string, unknown> = {};

  add(clause: string, values: Record<string, unknown> = {}): this {
    this.clauses.push(clause);
    Object.assign(this.values, values);
    return this;
  }

  get expression(): string {
    return this.clauses.join(' AND ');
  }
}

/** The clauses a device update's timer assumptions stand for. */
function addAssumptions(conditions: Conditions, assumes: TimerAssumptions | undefined): void {
  if (assumes?.noInProgressTimerToStart) conditions.add(CONDITION.noInProgressTimerToStart, { ':inProgress': 'IN_PROGRESS' });
  if (assumes?.inProgressDeadlineNotBefore !== undefined) {
    conditions.add(CONDITION.inProgressDeadlineNotBefore, { ':inProgressDeadlineFloor': assumes.inProgressDeadlineNotBefore });
  }
  if (assumes?.noInProgressDeadline) conditions.add(CONDITION.noInProgressDeadline);
}

interface Transition {
  thingName: string;
  status: ExecutionStatus;
  /** The change's lastUpdatedAt: when it happened (a timeout happened at its deadline). */
  at: number;
  statusDetails?: StatusDetails;
  timers: TimerWrite;
}

const TIMER_FIELDS = ['stepDeadlineAt', 'inProgressDeadlineAt', 'deadlineAt'] as const;

/** The update expression of a state change: a new version, the timers, and the index keys that follow from both. */
function transitionExpression(change: Transition) {
  const set = ['#status = :status', 'versionNumber = versionNumber + :one', 'lastUpdatedAt = :at'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':status': change.status, ':one': 1, ':at': change.at };
  if (change.statusDetails) {
    set.push('statusDetails = :statusDetails');
    values[':statusDetails'] = change.statusDetails;
  }
  if (change.status === 'IN_PROGRESS') {
    set.push('startedAt = if_not_exists(startedAt, :at)', 'pendingKey = startedPendingKey');
  } else {
    // Leaving the pending set: out of the pending index.
    remove.push('pendingKey');
  }
  for (const field of TIMER_FIELDS) {
    const value = change.timers[field];
    if (value === null) remove.push(field);
    else if (value !== undefined) {
      set.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  if (typeof change.timers.deadlineAt === 'number') {
    // Into the deadline index (items written before the index existed lack their shard).
    set.push('timerShard = :timerShard');
    values[':timerShard'] = keys.timerShard(change.thingName);
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    values,
  };
}

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The only module that talks to DynamoDB. */
export class JobsRepository implements ExecutionStore, JobStore, TimerIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listPending(thingName: string): Promise<JobExecutionRecord[]> {
    const records: JobExecutionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send(() => this.db.send(new QueryCommand(this.pendingQuery(thingName, startKey))));
      records.push(...(page.Items ?? []).map(fromExecutionItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  async findNextPending(thingName: string): Promise<JobExecutionRecord | undefined> {
    const page = await this.send(() => this.db.send(new QueryCommand({ ...this.pendingQuery(thingName), Limit: 1 })));
    const item = page.Items?.[0];
    return item ? fromExecutionItem(item) : undefined;
  }

  async get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined> {
    const result = await this.send(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.execution(thingName, jobId), ConsistentRead: true })),
    );
    return result.Item ? fromExecutionItem(result.Item) : undefined;
  }

  async start(record: JobExecutionRecord, command: StartCommand): Promise<WriteOutcome> {
    const { UpdateExpression, values } = transitionExpression({
      thingName: record.thingName,
      status: 'IN_PROGRESS',
      at: command.now,
      ...(command.statusDetails ? { statusDetails: command.statusDetails } : {}),
      timers: command.timers,
    });
    const conditions = new Conditions().add(CONDITION.queuedAsRead, { ':queued': 'QUEUED', ':readVersion': record.versionNumber });
    return this.conditionalUpdate(keys.execution(record.thingName, record.jobId), UpdateExpression, values, conditions);
  }

  async applyDeviceUpdate(command: DeviceUpdateCommand): Promise<WriteOutcome> {
    const { UpdateExpression, values } = transitionExpression({
      thingName: command.thingName,
      status: command.status,
      at: command.now,
      ...(command.statusDetails ? { statusDetails: command.statusDetails } : {}),
      timers: command.timers,
    });
    const conditions = new Conditions()
      .add(CONDITION.exists)
      .add(CONDITION.pending, PENDING_VALUES)
      .add(CONDITION.beforeDeadline, { ':now': command.now });
    if (command.expectedVersion !== undefined) conditions.add(CONDITION.expectedVersion, { ':expectedVersion': command.expectedVersion });
    if (command.basisVersion !== undefined) conditions.add(CONDITION.basisVersion, { ':basisVersion': command.basisVersion });
    if (command.executionNumber !== undefined) conditions.add(CONDITION.executionNumber, { ':executionNumber': command.executionNumber });
    addAssumptions(conditions, command.assumes);
    return this.conditionalUpdate(keys.execution(command.thingName, command.jobId), UpdateExpression, values, conditions);
  }

  async timeOut(execution: ExpiredExecution): Promise<WriteOutcome> {
    const { UpdateExpression, values } = transitionExpression({
      thingName: execution.thingName,
      status: 'TIMED_OUT',
      // It timed out at its deadline, whenever this write happens.
      at: execution.deadlineAt,
      timers: STOPPED_TIMERS,
    });
    const conditions = new Conditions().add(CONDITION.runningPastDeadline, { ':inProgress': 'IN_PROGRESS', ':deadline': execution.deadlineAt });
    return this.conditionalUpdate(keys.execution(execution.thingName, execution.jobId), UpdateExpression, values, conditions);
  }

  readonly shards = keys.allTimerShards();

  async findExpired(shard: string, now: number, limit: number, cursor?: unknown): Promise<ExpiredPage> {
    const { partitionKey, sortKey, name } = JOBS_TABLE.deadlineIndex;
    const page = await this.send(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: name,
          KeyConditionExpression: '#shard = :shard AND #deadline <= :now',
          ExpressionAttributeNames: { '#shard': partitionKey, '#deadline': sortKey },
          ExpressionAttributeValues: { ':shard': shard, ':now': now },
          Limit: limit,
          ReturnConsumedCapacity: 'TOTAL',
          ...(cursor ? { ExclusiveStartKey: cursor as Record<string, unknown> } : {}),
        }),
      ),
    );
    return {
      executions: (page.Items ?? []).map((item) => ({
        ...parseExecutionKey(item as { pk: string; sk: string }),
        deadlineAt: item[sortKey] as number,
      })),
      ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}),
      ...(page.ConsumedCapacity?.CapacityUnits !== undefined ? { readCapacityUnits: page.ConsumedCapacity.CapacityUnits } : {}),
    };
  }

  /** One conditional UpdateItem of an execution; a failed condition comes back as the item that failed it. */
  private async conditionalUpdate(
    key: Record<string, string>,
    UpdateExpression: string,
    values: Record<string, unknown>,
    conditions: Conditions,
  ): Promise<WriteOutcome> {
    try {
      const result = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression,
            ConditionExpression: conditions.expression,
            ExpressionAttributeNames: STATUS_NAMES,
            ExpressionAttributeValues: { ...values, ...conditions.values },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { applied: true, record: fromExecutionItem(result.Attributes ?? {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const current = oldImage(error);
        return { applied: false, ...(current ? { current } : {}) };
      }
      throw error;
    }
  }

  /** The document and incarnation of a job, or undefined if there is no such job. */
  async loadJobDocument(jobId: string): Promise<{ document: string; incarnation: string } | undefined> {
    const result = await this.send(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.job(jobId),
          ProjectionExpression: 'document, incarnation',
          // A device may ask for a job the instant it was created.
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item as { document: string; incarnation: string } | undefined;
  }

  async createJob(job: JobRecord, executions: JobExecutionRecord[]): Promise<void> {
    try {
      await this.send(() =>
        this.db.send(new PutCommand({ TableName: this.tableName, Item: toJobItem(job), ConditionExpression: CONDITION.absent })),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ResourceAlreadyExistsException(`Job ${job.jobId} already exists`, job.jobId, job.jobArn);
      }
      throw error;
    }
    for (let i = 0; i < executions.length; i += BATCH_SIZE) {
      await this.putAll(executions.slice(i, i + BATCH_SIZE).map(toExecutionItem));
    }
    await this.send(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.job(job.jobId),
          UpdateExpression: 'SET executionsCreated = :true',
          ConditionExpression: CONDITION.exists,
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
  }

  /** One BatchWriteItem, retrying what DynamoDB leaves unprocessed with capped exponential backoff and jitter. */
  private async putAll(items: object[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === MAX_BATCH_ATTEMPTS) throw new ServiceUnavailableException('The job store is busy; the job was created but not all its executions');
      if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const result = await this.send(() => this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
      requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }

  private pendingQuery(thingName: string, startKey?: Record<string, unknown>) {
    return {
      TableName: this.tableName,
      IndexName: JOBS_TABLE.pendingIndex.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.thingPartition(thingName) },
      // StartNext must see the write a racing StartNext just made.
      ConsistentRead: true,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    };
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw translateInfrastructureError(error);
    }
  }
}

/** The item as it stood when a condition failed; it arrives unmarshalled even through the document client. */
function oldImage(error: ConditionalCheckFailedException): JobExecutionRecord | undefined {
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return item ? fromExecutionItem(unmarshall(item)) : undefined;
}
