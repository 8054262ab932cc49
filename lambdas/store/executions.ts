import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionStatus, JobExecutionRecord } from '../jobs/execution/execution';
import type { DeviceUpdateCommand, ExecutionStore, ExpiredExecution, ExpiredPage, StartCommand, TimerIndex, WriteOutcome } from '../jobs/execution/store';
import type { ExecutionAdminStore, ExecutionCancellation, ExecutionDeletion } from '../jobs/management/store';
import { forEachLimited } from '../jobs/shared/concurrency';
import { ServiceUnavailableException } from '../jobs/shared/errors';
import type { JobRef, Page, PageQuery } from '../jobs/shared/ports';
import { cancelParams, deleteParams, deviceUpdateParams, fanOutParams, removeOrphanParams, startParams, timeOutParams } from './execution-writes';
import { expiredQuery, pendingQuery, shardOfJobPageKey, shardOfJobQuery, thingExecutionsPageKey, thingExecutionsQuery } from './queries';
import { fromExecutionItem } from './items';
import { keys, parseExecutionKey } from './table/keys';
import { backOff, inChunks, TableAccess, type Item, type RawOutcome } from './table/table-access';

/** Executions one fan-out transaction writes, beside its check of the job (TransactWriteItems takes 100 items). */
const FAN_OUT_TRANSACTION_SIZE = 99;
/** Fan-out transactions in flight at once. */
const FAN_OUT_CONCURRENCY = 4;
/** Conflicting writes one fan-out transaction tries past before it gives up (the CreateJob can be sent again). */
const MAX_FAN_OUT_CONFLICTS = 8;

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
export class DynamoExecutionStore implements ExecutionStore, TimerIndex, ExecutionAdminStore {
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
      ...(page.ConsumedCapacity?.CapacityUnits !== undefined ? { readCapacityUnits: page.ConsumedCapacity.CapacityUnits } : {}),
    };
  }

  async createExecutions(job: JobRef, executions: JobExecutionRecord[]): Promise<void> {
    // Once one transaction finds the job no longer running, the others start no more.
    let stopped = false;
    await forEachLimited(inChunks(executions, FAN_OUT_TRANSACTION_SIZE), FAN_OUT_CONCURRENCY, async (chunk) => {
      let pending = chunk;
      for (let conflicts = 0; pending.length > 0 && !stopped; ) {
        const outcome = await this.access.transactWrite(fanOutParams(job, pending));
        if (outcome.applied) return;
        const [jobCheck, ...puts] = outcome.reasons;
        if (jobCheck === 'ConditionalCheckFailed') {
          stopped = true;
          return;
        }
        // Written already (by a CreateJob running beside this one, or an earlier try): they keep whatever state they reached.
        const rest = pending.filter((_, i) => puts[i] !== 'ConditionalCheckFailed');
        if (rest.length === pending.length) {
          // Another write touched one of these items at the same moment: try the same again, a little later.
          if (++conflicts === MAX_FAN_OUT_CONFLICTS) throw new ServiceUnavailableException('The job store is busy; retry');
          await backOff(conflicts);
        }
        pending = rest;
      }
    });
  }

  /** Shard by shard of the executionsByJob index, each in thing-name order. */
  async listExecutionsForJob(jobId: string, status: ExecutionStatus | undefined, page: PageQuery): Promise<Page<JobExecutionRecord>> {
    const shards = keys.allJobShards(jobId).map((shard) => shardOfJobQuery(shard, status));
    const result = await this.access.queryAcross(`job/${jobId}/${status ?? ''}`, page, shardOfJobPageKey(jobId), shards);
    return { items: result.items.map(fromExecutionItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async listExecutionsForThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string }, page: PageQuery): Promise<Page<JobExecutionRecord>> {
    const result = await this.access.queryPage(`thing/${thingName}/${filter.status ?? ''}/${filter.jobId ?? ''}`, page, thingExecutionsQuery(thingName, filter), thingExecutionsPageKey(thingName));
    return { items: result.items.map(fromExecutionItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome> {
    return toOutcome(await this.access.update(cancelParams(cancellation)));
  }

  async deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome> {
    return toOutcome(await this.access.delete(deleteParams(deletion)));
  }

  async deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void> {
    await this.access.batchWrite(executions.map((e) => ({ DeleteRequest: { Key: keys.execution(e.thingName, e.jobId) } })));
  }
}
