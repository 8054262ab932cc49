import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobExecutionRecord } from '../../jobs/execution/execution';
import type { ContinuousJobsStore } from '../../jobs/fleet/continuous-jobs';
import type { JobRecord } from '../../jobs/management/job';
import type { JobRef } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import { backOff, TableAccess } from '../table/table-access';
import {
  addExecutionParams,
  continuousTargetDeletes,
  jobsTargetingQuery,
  joinedTargetsQuery,
  removeQueuedParams,
} from './continuous-job-items';

/** Tries of a joiner's transaction that met another write of the same items (not a refusal: a conflict). */
const CONFLICT_ATTEMPTS = 8;

/**
 * A continuous job's own items: its listing under each target group, and the things that joined later (see
 * continuous-job-items.ts).
 */
export class DynamoContinuousJobStore
  implements Pick<ContinuousJobsStore, 'jobsTargeting' | 'addExecution' | 'removeQueued'>
{
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  /** The job no longer listed under these groups (it is canceled or deleted: it takes on no more things). */
  async unlistTargets(job: JobRef, groupNames: readonly string[]): Promise<void> {
    if (groupNames.length) await this.access.batchWrite(continuousTargetDeletes(job, groupNames));
  }

  async jobsTargeting(groupName: string): Promise<JobRef[]> {
    return (await this.access.queryAll(jobsTargetingQuery(groupName))).map((item) => ({
      jobId: item.jobId as string,
      incarnation: item.incarnation as string,
    }));
  }

  async addExecution(
    job: JobRecord,
    execution: JobExecutionRecord,
    replacing: JobExecutionRecord | undefined,
  ): Promise<boolean> {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(addExecutionParams(job, execution, replacing));
      if (outcome.applied) return true;
      if (outcome.reasons.includes('ConditionalCheckFailed')) return false;
      if (++conflicts === CONFLICT_ATTEMPTS)
        throw new Error(
          `The execution of ${execution.thingName} for ${job.jobId} ` +
            `kept meeting other writes (${outcome.reasons.join(', ')})`,
        );
      await backOff(conflicts);
    }
  }

  async removeQueued(job: JobRef, thingName: string, now: number): Promise<boolean> {
    return (await this.access.update(removeQueuedParams(job, thingName, now))).applied;
  }

  /**
   * Up to `limit` things that joined the job later, after `after` (the last one of the previous read); `after` of the
   * next read, absent at the end.
   */
  async joinedPage(job: JobRef, limit: number, after?: string): Promise<{ things: string[]; after?: string }> {
    const page = await this.access.query({
      ...joinedTargetsQuery(job),
      Limit: limit,
      ...(after ? { ExclusiveStartKey: keys.joinedTarget(job, after) } : {}),
    });
    const things = (page.Items ?? []).flatMap((item) => item.things as string[]);
    return { things, ...(page.LastEvaluatedKey && things.length ? { after: things[things.length - 1]! } : {}) };
  }

  /** Every joined entry of the job deleted (a DeleteJob's end). */
  async deleteJoined(job: JobRef): Promise<void> {
    const entries = await this.access.queryAll({ ...joinedTargetsQuery(job), ProjectionExpression: 'pk, sk' });
    if (entries.length)
      await this.access.batchWrite(
        entries.map((item) => ({ DeleteRequest: { Key: { pk: item.pk as string, sk: item.sk as string } } })),
      );
  }
}
