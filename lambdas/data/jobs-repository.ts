import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ResourceAlreadyExistsException, ServiceUnavailableException } from '../domain/errors';
import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../domain/execution';
import type { JobRecord } from '../domain/job';
import type { DeviceUpdateCommand, ExecutionStore, JobStore, StartCommand, StartOutcome } from '../domain/ports';
import { explainRejectedUpdate } from '../domain/update-rejection';
import { translateInfrastructureError } from './infrastructure-errors';
import { fromExecutionItem, keys, toExecutionItem, toJobItem } from './items';
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
  /** Still QUEUED at the version read: of racing StartNext calls exactly one starts it. */
  queuedAsRead: '#status = :queued AND versionNumber = :readVersion',
  /** The device's optimistic lock (expectedVersion). */
  expectedVersion: 'versionNumber = :expectedVersion',
  /** The execution the device names is the current one. */
  executionNumber: 'executionNumber = :executionNumber',
} as const;

const STATUS_NAMES = { '#status': 'status' };
const PENDING_VALUES = { ':queued': 'QUEUED', ':inProgress': 'IN_PROGRESS' };

interface Transition {
  status: ExecutionStatus;
  now: number;
  statusDetails?: StatusDetails;
  stepDeadline?: number | 'clear';
}

/** The update expression of a state change: a new version, and the index keys that follow from the status. */
function transitionExpression(change: Transition) {
  const set = ['#status = :status', 'versionNumber = versionNumber + :one', 'lastUpdatedAt = :now'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':status': change.status, ':one': 1, ':now': change.now };
  if (change.statusDetails) {
    set.push('statusDetails = :statusDetails');
    values[':statusDetails'] = change.statusDetails;
  }
  if (change.status === 'IN_PROGRESS') {
    set.push('startedAt = if_not_exists(startedAt, :now)', 'pendingKey = startedPendingKey');
    if (typeof change.stepDeadline === 'number') {
      set.push('stepDeadlineAt = :stepDeadline');
      values[':stepDeadline'] = change.stepDeadline;
    } else if (change.stepDeadline === 'clear') {
      remove.push('stepDeadlineAt');
    }
  } else {
    // Leaving the pending set: out of the pending index, and no timer left to fire.
    remove.push('pendingKey', 'stepDeadlineAt');
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
export class JobsRepository implements ExecutionStore, JobStore {
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

  async start(record: JobExecutionRecord, command: StartCommand): Promise<StartOutcome> {
    const { UpdateExpression, values } = transitionExpression({
      status: 'IN_PROGRESS',
      now: command.now,
      ...(command.statusDetails ? { statusDetails: command.statusDetails } : {}),
      ...(command.stepDeadlineAt !== undefined ? { stepDeadline: command.stepDeadlineAt } : {}),
    });
    try {
      const result = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.execution(record.thingName, record.jobId),
            UpdateExpression,
            ConditionExpression: CONDITION.queuedAsRead,
            ExpressionAttributeNames: STATUS_NAMES,
            ExpressionAttributeValues: { ...values, ':queued': 'QUEUED', ':readVersion': record.versionNumber },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { started: true, record: fromExecutionItem(result.Attributes ?? {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const current = oldImage(error);
        return { started: false, ...(current ? { current } : {}) };
      }
      throw error;
    }
  }

  async applyDeviceUpdate(command: DeviceUpdateCommand): Promise<JobExecutionRecord> {
    const { UpdateExpression, values } = transitionExpression(command);
    const conditions: string[] = [CONDITION.exists, CONDITION.pending];
    const conditionValues: Record<string, unknown> = { ...PENDING_VALUES };
    if (command.expectedVersion !== undefined) {
      conditions.push(CONDITION.expectedVersion);
      conditionValues[':expectedVersion'] = command.expectedVersion;
    }
    if (command.executionNumber !== undefined) {
      conditions.push(CONDITION.executionNumber);
      conditionValues[':executionNumber'] = command.executionNumber;
    }
    try {
      const result = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.execution(command.thingName, command.jobId),
            UpdateExpression,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: STATUS_NAMES,
            ExpressionAttributeValues: { ...values, ...conditionValues },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return fromExecutionItem(result.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw explainRejectedUpdate(command, oldImage(error));
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
