import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../jobs/shared/concurrency';
import { ResourceAlreadyExistsException } from '../jobs/shared/errors';
import type { ExecutionStatus, JobExecutionRecord } from '../jobs/execution/execution';
import type { JobRecord, JobStatus } from '../jobs/management/job';
import type {
  ExecutionCancellation,
  ExecutionDeletion,
  JobCancellation,
  JobStore,
  JobSummary,
  JobWriteOutcome,
  Page,
  PageQuery,
  WriteOutcome,
} from '../jobs/execution/store';
import { STOPPED_TIMERS } from '../jobs/execution/timers';
import { CONDITION, Conditions, PENDING_VALUES, transitionExpression } from './table/expressions';
import { fromExecutionItem, fromJobItem, keys, toExecutionItem, toJobItem } from './items';
import { decodePageToken, encodePageToken } from './table/page-token';
import { TableAccess, toExecutionOutcome, type RawOutcome } from './table/table-access';
import { JOBS_TABLE } from './table/table-design';

type Item = Record<string, unknown>;

const RESUME_CONCURRENCY = 25;

/** A filter on a list leaves pages short; this many queries fill one page at most, then the caller gets a nextToken. */
const MAX_QUERIES_PER_PAGE = 10;

const statusFilter = (status: string | undefined) =>
  status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {};

/**
 * Jobs as operators manage them (the management API): the job items, the
 * lists, cancels and deletes. With JobsRepository, the only code that talks
 * to DynamoDB.
 */
export class JobAdminRepository implements JobStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createJob(job: JobRecord, executions: JobExecutionRecord[]): Promise<void> {
    try {
      await this.access.send(() =>
        this.access.db.send(new PutCommand({ TableName: this.access.tableName, Item: toJobItem(job), ConditionExpression: CONDITION.absent })),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ResourceAlreadyExistsException(`Job ${job.jobId} already exists`, job.jobId, job.jobArn);
      }
      throw error;
    }
    await this.access.batchWrite(executions.map((e) => ({ PutRequest: { Item: toExecutionItem(e) } })));
    await this.markFanOutComplete(job.jobId);
  }

  async resumeFanOut(jobId: string, executions: JobExecutionRecord[]): Promise<void> {
    // One conditional put each: an execution the first attempt wrote may have moved on since, and must not be reset.
    await forEachLimited(executions, RESUME_CONCURRENCY, async (execution) => {
      try {
        await this.access.send(() =>
          this.access.db.send(new PutCommand({ TableName: this.access.tableName, Item: toExecutionItem(execution), ConditionExpression: CONDITION.absent })),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
    await this.markFanOutComplete(jobId);
  }

  private async markFanOutComplete(jobId: string): Promise<void> {
    await this.access.send(() =>
      this.access.db.send(
        new UpdateCommand({
          TableName: this.access.tableName,
          Key: keys.job(jobId),
          UpdateExpression: 'SET executionsCreated = :true',
          ConditionExpression: CONDITION.exists,
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  async listJobs(status: JobStatus | undefined, page: PageQuery): Promise<Page<JobSummary>> {
    const { name, partitionKey } = JOBS_TABLE.jobListIndex;
    const result = await this.queryPage(`jobs/${status ?? ''}`, page, {
      IndexName: name,
      KeyConditionExpression: `${partitionKey} = :partition`,
      ExpressionAttributeValues: { ':partition': keys.jobListPartition, ...(status ? { ':status': status } : {}) },
      ScanIndexForward: false,
      ...statusFilter(status),
    });
    return { items: result.items.map((item) => fromJobItem(item)), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  /** Shard by shard of the executionsByJob index, each in thing-name order. */
  async listExecutionsForJob(jobId: string, status: ExecutionStatus | undefined, page: PageQuery): Promise<Page<JobExecutionRecord>> {
    const list = `job/${jobId}/${status ?? ''}`;
    const shards = keys.allJobShards(jobId);
    const start = page.nextToken ? decodePageToken(page.nextToken, list) : { key: {}, shard: 0 };
    const items: Item[] = [];
    let shard = start.shard ?? 0;
    let key: Item | undefined = Object.keys(start.key).length ? start.key : undefined;
    for (let queries = 0; shard < shards.length && items.length < page.maxResults && queries < MAX_QUERIES_PER_PAGE; queries++) {
      const result = await this.access.query({
        IndexName: JOBS_TABLE.jobExecutionsIndex.name,
        KeyConditionExpression: `${JOBS_TABLE.jobExecutionsIndex.partitionKey} = :shard`,
        ExpressionAttributeValues: { ':shard': shards[shard], ...(status ? { ':status': status } : {}) },
        Limit: page.maxResults - items.length,
        ...statusFilter(status),
        ...(key ? { ExclusiveStartKey: key } : {}),
      });
      items.push(...(result.Items ?? []));
      key = result.LastEvaluatedKey;
      if (!key) shard++;
    }
    const more = shard < shards.length;
    return {
      items: items.map(fromExecutionItem),
      ...(more ? { nextToken: encodePageToken({ list, key: key ?? {}, shard }) } : {}),
    };
  }

  async listExecutionsForThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string }, page: PageQuery): Promise<Page<JobExecutionRecord>> {
    const key = filter.jobId ? keys.execution(thingName, filter.jobId) : undefined;
    const result = await this.queryPage(`thing/${thingName}/${filter.status ?? ''}/${filter.jobId ?? ''}`, page, {
      KeyConditionExpression: key ? 'pk = :pk AND sk = :sk' : 'pk = :pk AND begins_with(sk, :jobPrefix)',
      ExpressionAttributeValues: {
        ':pk': keys.thingPartition(thingName),
        ...(key ? { ':sk': key.sk } : { ':jobPrefix': keys.execution(thingName, '').sk }),
        ...(filter.status ? { ':status': filter.status } : {}),
      },
      ConsistentRead: true,
      ...statusFilter(filter.status),
    });
    return { items: result.items.map(fromExecutionItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome> {
    const set = ['#status = :canceled', 'lastUpdatedAt = :now'];
    const values: Item = { ':canceled': 'CANCELED', ':now': cancellation.now };
    // A forced cancel stays forced: a later cancel without force does not undo it.
    set.push(cancellation.force ? 'forceCanceled = :true' : 'forceCanceled = if_not_exists(forceCanceled, :false)');
    values[cancellation.force ? ':true' : ':false'] = cancellation.force;
    if (cancellation.reasonCode !== undefined) {
      set.push('reasonCode = :reasonCode');
      values[':reasonCode'] = cancellation.reasonCode;
    }
    if (cancellation.comment !== undefined) {
      set.push('#comment = :comment');
      values[':comment'] = cancellation.comment;
    }
    const conditions = new Conditions().add(CONDITION.jobCancelable, { ':jobInProgress': 'IN_PROGRESS', ':jobCanceled': 'CANCELED' });
    return toJobOutcome(await this.access.update(keys.job(jobId), `SET ${set.join(', ')}`, values, conditions));
  }

  async startJobDeletion(jobId: string, force: boolean, now: number): Promise<JobWriteOutcome> {
    const conditions = force
      ? new Conditions().add(CONDITION.jobExists)
      : new Conditions().add(CONDITION.jobDeletable, { ':jobCompleted': 'COMPLETED', ':jobCanceled': 'CANCELED', ':jobDeleting': 'DELETION_IN_PROGRESS' });
    const outcome = await this.access.update(keys.job(jobId), 'SET #status = :deleting, lastUpdatedAt = :now', { ':deleting': 'DELETION_IN_PROGRESS', ':now': now }, conditions);
    return toJobOutcome(outcome);
  }

  async deleteJobItem(jobId: string): Promise<void> {
    await this.access.send(() => this.access.db.send(new DeleteCommand({ TableName: this.access.tableName, Key: keys.job(jobId) })));
  }

  async cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome> {
    const { UpdateExpression, values } = transitionExpression({
      thingName: cancellation.thingName,
      status: 'CANCELED',
      at: cancellation.now,
      ...(cancellation.statusDetails ? { statusDetails: cancellation.statusDetails } : {}),
      timers: STOPPED_TIMERS,
      also: { forceCanceled: cancellation.force },
    });
    const conditions = cancellation.force
      ? new Conditions().add(CONDITION.queuedOrRunning, { ...PENDING_VALUES, ':now': cancellation.now })
      : new Conditions().add(CONDITION.queued, { ':queued': 'QUEUED' });
    if (cancellation.expectedVersion !== undefined) conditions.add(CONDITION.expectedVersion, { ':expectedVersion': cancellation.expectedVersion });
    return this.access.updateExecution(keys.execution(cancellation.thingName, cancellation.jobId), UpdateExpression, values, conditions);
  }

  async deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome> {
    const conditions = new Conditions().add(CONDITION.exists).add(CONDITION.executionNumber, { ':executionNumber': deletion.executionNumber });
    if (!deletion.force) conditions.add(CONDITION.settled, { ...PENDING_VALUES, ':now': deletion.now });
    return toExecutionOutcome(await this.access.delete(keys.execution(deletion.thingName, deletion.jobId), conditions));
  }

  async deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void> {
    await this.access.batchWrite(executions.map((e) => ({ DeleteRequest: { Key: keys.execution(e.thingName, e.jobId) } })));
  }

  /** One page of a query, filled across DynamoDB pages when a filter leaves them short. */
  private async queryPage(list: string, page: PageQuery, input: Omit<QueryCommandInput, 'TableName'>): Promise<{ items: Item[]; nextToken?: string }> {
    let key: Item | undefined = page.nextToken ? decodePageToken(page.nextToken, list).key : undefined;
    const items: Item[] = [];
    for (let queries = 0; items.length < page.maxResults && queries < MAX_QUERIES_PER_PAGE; queries++) {
      const result = await this.access.query({ ...input, Limit: page.maxResults - items.length, ...(key ? { ExclusiveStartKey: key } : {}) });
      items.push(...(result.Items ?? []));
      key = result.LastEvaluatedKey;
      if (!key) break;
    }
    return { items, ...(key ? { nextToken: encodePageToken({ list, key }) } : {}) };
  }
}

function toJobOutcome(outcome: RawOutcome): JobWriteOutcome {
  if (outcome.applied) return { applied: true, job: fromJobItem(outcome.item) };
  return { applied: false, ...(outcome.item ? { current: fromJobItem(outcome.item) } : {}) };
}
