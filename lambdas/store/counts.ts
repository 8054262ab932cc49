import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type CountKey,
  deltaOf,
  type ExecutionChange,
  type ExecutionCounts,
  type JobCountsStore,
  RETRYING_COUNTS,
  tallyStatuses,
} from '../jobs/counts/job-counts';
import type { ExecutionTally, RecountStore } from '../jobs/counts/recount';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../jobs/execution/execution';
import type { JobRecord } from '../jobs/management/job';
import { hasRetryLeft } from '../jobs/rollout/retry';
import { type Clock, toEpochSeconds } from '../jobs/shared/clock';
import type { JobRef } from '../jobs/shared/ports';
import { countAttribute, fromJobItem } from './items';
import { shardOfJobQuery } from './queries';
import { CONDITION, Conditions, conditionalUpdate } from './table/expressions';
import { keys } from './table/keys';
import { backOff, inChunks, TableAccess } from './table/table-access';
import type { TransactParams, UpdateParams } from './table/table-params';

/** How long a counted change is remembered: longer than a stream keeps records (24 hours). */
const COUNTED_CHANGE_TTL_SECONDS = 2 * 24 * 3600;

/** Changes counted per transaction: DynamoDB takes 100 items in one, and one of them is the job's counters. */
export const CHANGES_PER_TRANSACTION = 99;

/**
 * Tries of one transaction that met other writes (another shard's batch counting the same job) before the batch fails.
 */
const CONFLICT_ATTEMPTS = 8;

/**
 * The job item exists, and is that incarnation: a change of a deleted job, or of an earlier job of its jobId, counts
 * nowhere.
 */
const ofThatJob = `${CONDITION.exists} AND ${CONDITION.jobOfIncarnation}`;

/**
 * One transaction: a marker per change, each put only if absent, and the
 * job's counters moved by those changes together, only on that incarnation.
 * A change already counted fails its marker's condition, and with it the
 * whole transaction: nothing is counted twice.
 */
export function countChangesParams(job: JobRef, changes: readonly ExecutionChange[], now: number): TransactParams[] {
  const entries = Object.entries(deltaOf(changes));
  const expiresAt = toEpochSeconds(now) + COUNTED_CHANGE_TTL_SECONDS;
  return [
    ...changes.map((change) => ({
      Put: {
        Item: { ...keys.countedChange(change.changeId), jobId: job.jobId, expiresAt },
        ConditionExpression: CONDITION.absent,
      },
    })),
    {
      Update: {
        Key: keys.job(job.jobId),
        UpdateExpression: [
          `SET countsUpdatedAt = :now`,
          `ADD countsRevision :one${entries.map((_, i) => `, #c${i} :c${i}`).join('')}`,
        ].join(' '),
        ConditionExpression: ofThatJob,
        ...(entries.length
          ? {
              ExpressionAttributeNames: Object.fromEntries(
                entries.map(([status], i) => [`#c${i}`, countAttribute(status)]),
              ),
            }
          : {}),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
          ':one': 1,
          ':now': now,
          ':jobIncarnation': job.incarnation,
        },
      },
    },
  ];
}

/**
 * The recount's write: every status's count set to what the executions say,
 * only if no other write of the counts came since the recount read them
 * (same revision), and only on that incarnation.
 */
export function writeCountsParams(
  job: JobRef,
  counts: ExecutionCounts,
  seenRevision: number | undefined,
  now: number,
): UpdateParams {
  const statuses: CountKey[] = [...EXECUTION_STATUSES, ...Object.values(RETRYING_COUNTS)];
  return {
    Key: keys.job(job.jobId),
    UpdateExpression:
      `SET ${statuses.map((_, i) => `#c${i} = :c${i}`).join(', ')}, ` +
      `countsUpdatedAt = :now ADD countsRevision :one`,
    ConditionExpression:
      `${ofThatJob} AND ` +
      `${seenRevision === undefined ? 'attribute_not_exists(countsRevision)' : 'countsRevision = :seenRevision'}`,
    ExpressionAttributeNames: Object.fromEntries(statuses.map((status, i) => [`#c${i}`, countAttribute(status)])),
    ExpressionAttributeValues: {
      ...Object.fromEntries(statuses.map((status, i) => [`:c${i}`, counts[status] ?? 0])),
      ':one': 1,
      ':now': now,
      ':jobIncarnation': job.incarnation,
      ...(seenRevision === undefined ? {} : { ':seenRevision': seenRevision }),
    },
  };
}

/** IN_PROGRESS -> COMPLETED, only if it still is IN_PROGRESS and that incarnation. */
export const completeJobParams = (job: JobRef, now: number): UpdateParams =>
  conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: 'SET #status = :completed, completedAt = :now, lastUpdatedAt = :now',
      values: { ':completed': 'COMPLETED', ':now': now },
    },
    new Conditions()
      .add(CONDITION.jobInProgress, { ':jobInProgress': 'IN_PROGRESS' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );

/**
 * The job counters (`count_<STATUS>` on the job item), moved by stream
 * changes, each counted once by its marker (`COUNTED#<change ID>`), and
 * rewritten whole by a recount.
 */
export class DynamoJobCountsStore implements JobCountsStore, RecountStore {
  private readonly access: TableAccess;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly clock: Clock,
  ) {
    this.access = new TableAccess(db, tableName);
  }

  async countChanges(job: JobRef, changes: readonly ExecutionChange[]): Promise<JobRecord | undefined> {
    // One job's transactions one after another: at once, they would conflict on its item.
    for (const chunk of inChunks(changes, CHANGES_PER_TRANSACTION)) {
      let pending = chunk;
      for (let conflicts = 0; pending.length > 0; ) {
        const outcome = await this.access.transactWrite(countChangesParams(job, pending, this.clock()));
        if (outcome.applied) break;
        // That job is gone (deleted, perhaps created again under its jobId): nothing to count.
        if (outcome.reasons[pending.length] === 'ConditionalCheckFailed') return undefined;
        const counted = new Set(pending.filter((_, i) => outcome.reasons[i] === 'ConditionalCheckFailed'));
        if (counted.size > 0) {
          // Counted before (a redelivery, or the same record in another batch): count the rest.
          pending = pending.filter((change) => !counted.has(change));
          continue;
        }
        // Another write of the job's item at the same moment (another shard's batch), or throttled: a moment later.
        if (++conflicts === CONFLICT_ATTEMPTS)
          throw new Error(
            `The counts of job ${job.jobId} were not written (${outcome.reasons.join(', ')}); the batch is retried`,
          );
        await backOff(conflicts);
      }
    }
    // Carry on from the job as it is, so a completion an earlier delivery missed still happens.
    const current = await this.getJob(job.jobId);
    return current?.incarnation === job.incarnation ? current : undefined;
  }

  /**
   * A job's executions counted from the items themselves: the executionsByJob
   * index says which there are, the table (read consistently) what each is
   * now. Executions an earlier job of the same jobId left behind are not this
   * job's.
   */
  async tallyExecutions(job: JobRef): Promise<ExecutionTally> {
    const statuses: { status: ExecutionStatus; retrying: boolean }[] = [];
    let lastChangedAt = 0;
    for (const shard of keys.allJobShards(job.jobId)) {
      const listed = await this.access.queryAll({
        ...shardOfJobQuery(shard, undefined),
        ProjectionExpression: 'pk, sk',
      });
      const items = await this.access.batchGet(
        listed.map((item) => ({ pk: item.pk as string, sk: item.sk as string })),
        {
          expression: '#status, jobIncarnation, lastUpdatedAt, retryLimits, retriesUsed, retryAttempt',
          names: { '#status': 'status' },
        },
      );
      for (const item of items) {
        if (item.jobIncarnation !== job.incarnation) continue;
        statuses.push({
          status: item.status as ExecutionStatus,
          retrying: hasRetryLeft(item as Parameters<typeof hasRetryLeft>[0]),
        });
        lastChangedAt = Math.max(lastChangedAt, item.lastUpdatedAt as number);
      }
    }
    return { counts: tallyStatuses(statuses), executions: statuses.length, lastChangedAt };
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  async writeCounts(
    job: JobRef,
    counts: ExecutionCounts,
    seenRevision: number | undefined,
  ): ReturnType<RecountStore['writeCounts']> {
    const result = await this.access.update(writeCountsParams(job, counts, seenRevision, this.clock()));
    if (result.applied) return { outcome: 'written', job: fromJobItem(result.item) };
    const now = result.item ? fromJobItem(result.item) : undefined;
    return { outcome: now?.incarnation === job.incarnation ? 'counts-moved' : 'job-gone' };
  }

  async completeJob(job: JobRef, now: number): Promise<void> {
    // Refused when canceled, deleted or completed meanwhile: nothing to do.
    await this.access.update(completeJobParams(job, now));
  }
}
