import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobExecutionRecord } from '../jobs/execution/execution';
import type { DeviceUpdateCommand, ExecutionStore, ExpiredExecution, ExpiredPage, StartCommand, TimerIndex, WriteOutcome } from '../jobs/execution/store';
import { STOPPED_TIMERS } from '../jobs/execution/timers';
import { addAssumptions, CONDITION, Conditions, PENDING_VALUES, transitionExpression } from './table/expressions';
import { fromExecutionItem, keys, parseExecutionKey } from './items';
import { TableAccess } from './table/table-access';
import { JOBS_TABLE } from './table/table-design';

/**
 * Executions as devices and timers use them: the device API's reads and
 * conditional writes, timeouts, and the deadline index. With the job-admin
 * repository, the only code that talks to DynamoDB.
 */
export class JobsRepository implements ExecutionStore, TimerIndex {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async listPending(thingName: string): Promise<JobExecutionRecord[]> {
    const records: JobExecutionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.access.send(() => this.access.db.send(new QueryCommand(this.pendingQuery(thingName, startKey))));
      records.push(...(page.Items ?? []).map(fromExecutionItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  async findNextPending(thingName: string): Promise<JobExecutionRecord | undefined> {
    const page = await this.access.send(() => this.access.db.send(new QueryCommand({ ...this.pendingQuery(thingName), Limit: 1 })));
    const item = page.Items?.[0];
    return item ? fromExecutionItem(item) : undefined;
  }

  async get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined> {
    const item = await this.access.get(keys.execution(thingName, jobId));
    return item ? fromExecutionItem(item) : undefined;
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
    return this.access.updateExecution(keys.execution(record.thingName, record.jobId), UpdateExpression, values, conditions);
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
    return this.access.updateExecution(keys.execution(command.thingName, command.jobId), UpdateExpression, values, conditions);
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
    return this.access.updateExecution(keys.execution(execution.thingName, execution.jobId), UpdateExpression, values, conditions);
  }

  readonly shards = keys.allTimerShards();

  async findExpired(shard: string, now: number, limit: number, cursor?: unknown): Promise<ExpiredPage> {
    const { partitionKey, sortKey, name } = JOBS_TABLE.deadlineIndex;
    const page = await this.access.send(() =>
      this.access.db.send(
        new QueryCommand({
          TableName: this.access.tableName,
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

  /** The document and incarnation of a job, or undefined if there is no such job. */
  async loadJobDocument(jobId: string): Promise<{ document: string; incarnation: string } | undefined> {
    const result = await this.access.send(() =>
      this.access.db.send(
        new GetCommand({
          TableName: this.access.tableName,
          Key: keys.job(jobId),
          ProjectionExpression: 'document, incarnation',
          // A device may ask for a job the instant it was created.
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item as { document: string; incarnation: string } | undefined;
  }

  private pendingQuery(thingName: string, startKey?: Record<string, unknown>) {
    return {
      TableName: this.access.tableName,
      IndexName: JOBS_TABLE.pendingIndex.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.thingPartition(thingName) },
      // StartNext must see the write a racing StartNext just made.
      ConsistentRead: true,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    };
  }
}
