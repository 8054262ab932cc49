import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionStatus, JobExecutionRecord } from '../jobs/execution/execution';
import type {
  DeviceUpdateCommand,
  ExecutionStore,
  ExpiredExecution,
  ExpiredPage,
  StartCommand,
  TimerIndex,
  WriteOutcome,
} from '../jobs/execution/store';
import type { ExecutionAdminStore, ExecutionCancellation, ExecutionDeletion } from '../jobs/management/store';
import { forEachLimited } from '../jobs/shared/concurrency';
import type { Page, PageQuery } from '../jobs/shared/ports';
import type { FanOutExecutions } from '../jobs/work/job-work-store';
import {
  cancelParams,
  createIfAbsentParams,
  deleteParams,
  deviceUpdateParams,
  fanOutPuts,
  removeOrphanParams,
  startParams,
  timeOutParams,
} from './execution-writes';
import { fromExecutionItem } from './items';
import {
  expiredQuery,
  pendingQuery,
  shardOfJobPageKey,
  shardOfJobQuery,
  thingExecutionsPageKey,
  thingExecutionsQuery,
} from './queries';
import { keys, parseExecutionKey } from './table/keys';
import { backOff, inChunks, TableAccess } from './table/table-access';
import type { Item, RawOutcome } from './table/table-params';

/** Fan-out BatchWriteItem requests (25 executions each) in flight at once. */
const FAN_OUT_CONCURRENCY = 8;
/**
 * Conditional writes where none of the job is (a continuous job's fan-out, a
 * page a dead worker left): up to 100 in one TransactWriteItems (DynamoDB's
 * most), 4 such in flight.
 */
const ABSENT_PER_TRANSACTION = 100;
const ABSENT_TRANSACTIONS_IN_FLIGHT = 4;
/** Tries of one chunk that keeps meeting other writes (a conflict cancels a whole transaction). */
const ABSENT_ATTEMPTS = 8;

const toOutcome = (outcome: RawOutcome): WriteOutcome =>
  outcome.applied
    ? { applied: true, record: fromExecutionItem(outcome.item) }
    : { applied: false, ...(outcome.item ? { current: fromExecutionItem(outcome.item) } : {}) };

/**
 * Execution items (`THING#<thing>` / `JOB#<job>`): what devices read and
 * write, timeouts and the deadline index, and what operators do to them
 * (fan-out, lists, cancels, deletes). The params of each write come from
 * execution-writes.ts; every command goes through the table gateway.
 */
export class DynamoExecutionStore implements ExecutionStore, TimerIndex, ExecutionAdminStore, FanOutExecutions {
  private readonly access: TableAccess;
  readonly shards = keys.allTimerShards();

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async listPending(thingName: string): Promise<JobExecutionRecord[]> {
    return (await this.access.queryAll(pendingQuery(thingName))).map(fromExecutionItem);
  }

  async findNextPending(thingName: string): Promise<JobExecutionRecord | undefined> {
    const page = await this.access.query({ ...pendingQuery(thingName), Limit: 1 });
    const item = page.Items?.[0];
    return item ? fromExecutionItem(item) : undefined;
  }

  async get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined> {
    const item = await this.access.get(keys.execution(thingName, jobId));
    return item ? fromExecutionItem(item) : undefined;
  }

  async start(record: JobExecutionRecord, command: StartCommand): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(startParams(record, command)));
  }

  async applyDeviceUpdate(command: DeviceUpdateCommand): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(deviceUpdateParams(command)));
  }

  async timeOut(execution: ExpiredExecution): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(timeOutParams(execution)));
  }

  async removeOrphan(execution: JobExecutionRecord, now: number): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(removeOrphanParams(execution, now)));
  }

  async findExpired(shard: string, now: number, limit: number, cursor?: unknown): Promise<ExpiredPage> {
    const query = expiredQuery(shard, now, limit);
    const page = await this.access.query({ ...query.params, ...(cursor ? { ExclusiveStartKey: cursor as Item } : {}) });
    return {
      executions: (page.Items ?? []).map((item) => ({
        ...parseExecutionKey(item as { pk: string; sk: string }),
        deadlineAt: item[query.deadlineAttribute] as number,
      })),
      ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}),
      ...(page.ConsumedCapacity?.CapacityUnits !== undefined
        ? { readCapacityUnits: page.ConsumedCapacity.CapacityUnits }
        : {}),
    };
  }

  async writeNew(executions: JobExecutionRecord[], fence: () => void): Promise<void> {
    await this.access.batchWrite(fanOutPuts(executions), FAN_OUT_CONCURRENCY, fence);
  }

  async writeIfAbsent(executions: JobExecutionRecord[]): Promise<string[]> {
    const there: string[] = [];
    await forEachLimited(inChunks(executions, ABSENT_PER_TRANSACTION), ABSENT_TRANSACTIONS_IN_FLIGHT, (chunk) =>
      this.putAbsent(chunk, there),
    );
    return there;
  }

  /**
   * One transaction of conditional puts. Where the job's execution is there
   * already it keeps whatever state it reached (its thing is added to
   * `found`): a refused condition cancels the transaction, which goes again
   * without the executions it named; a conflict with another write goes
   * again whole, after a pause.
   */
  private async putAbsent(chunk: JobExecutionRecord[], found: string[]): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; pending.length; attempt++) {
      const outcome = await this.access.transactWrite(
        pending.map((execution) => ({ Put: createIfAbsentParams(execution) })),
      );
      if (outcome.applied) return;
      const there = new Set(pending.filter((_, i) => outcome.reasons[i] === 'ConditionalCheckFailed'));
      for (const execution of there) found.push(execution.thingName);
      if (!there.size && attempt >= ABSENT_ATTEMPTS)
        throw new Error(
          `${pending.length} executions kept meeting other writes (${[...new Set(outcome.reasons)].join(', ')})`,
        );
      if (!there.size) await backOff(attempt);
      pending = pending.filter((execution) => !there.has(execution));
    }
  }

  async deleteListed(jobId: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.listExecutionsForJob(jobId, undefined, {
        maxResults: 250,
        ...(token ? { nextToken: token } : {}),
      });
      await this.deleteExecutions(page.items);
      deleted += page.items.length;
      token = page.nextToken;
    } while (token);
    return deleted;
  }

  /**
   * Shard by shard of the executionsByJob index, each in thing-name order;
   * `whole`: each listed execution read from the table (the index does not
   * project retryAttempt), one gone meanwhile left out.
   */
  async listExecutionsForJob(
    jobId: string,
    status: ExecutionStatus | undefined,
    page: PageQuery,
    whole = false,
  ): Promise<Page<JobExecutionRecord>> {
    const shards = keys.allJobShards(jobId).map((shard) => shardOfJobQuery(shard, status));
    const result = await this.access.queryAcross(
      `job/${jobId}/${status ?? ''}`,
      page,
      shardOfJobPageKey(jobId),
      shards,
    );
    const items = whole ? await this.wholeItems(result.items) : result.items;
    return { items: items.map(fromExecutionItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  /** The table's items of these index entries, in the same order (BatchGetItem, 100 keys a request). */
  private async wholeItems(listed: readonly Item[]): Promise<Item[]> {
    if (!listed.length) return [];
    const keyOf = (item: Item) => `${item.pk}\n${item.sk}`;
    const found = await this.access.batchGet(listed.map((item) => ({ pk: item.pk as string, sk: item.sk as string })));
    const byKey = new Map(found.map((item) => [keyOf(item), item]));
    return listed.flatMap((item): Item[] => {
      const whole = byKey.get(keyOf(item));
      return whole ? [whole] : [];
    });
  }

  async listExecutionsForThing(
    thingName: string,
    filter: { status?: ExecutionStatus; jobId?: string },
    page: PageQuery,
  ): Promise<Page<JobExecutionRecord>> {
    const result = await this.access.queryPage(
      `thing/${thingName}/${filter.status ?? ''}/${filter.jobId ?? ''}`,
      page,
      thingExecutionsQuery(thingName, filter),
      thingExecutionsPageKey(thingName),
    );
    return { items: result.items.map(fromExecutionItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(cancelParams(cancellation)));
  }

  async deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome> {
    return toOutcome(await this.access.delete(deleteParams(deletion)));
  }

  async deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void> {
    await this.access.batchWrite(
      executions.map((e) => ({ DeleteRequest: { Key: keys.execution(e.thingName, e.jobId) } })),
      FAN_OUT_CONCURRENCY,
    );
  }
}
