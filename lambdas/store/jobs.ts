import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isContinuous, type JobRecord, type TargetSelection } from '../jobs/management/job';
import type {
  JobCancellation,
  JobListFilter,
  JobStore,
  JobSummary,
  JobUpdate,
  JobWriteOutcome,
  TargetAssociation,
} from '../jobs/management/store';
import type { Actor } from '../jobs/shared/actor';
import type { Page, PageQuery } from '../jobs/shared/ports';
import type { CascadeKind, JobCascade, JobWorkRecord } from '../jobs/work/job-work-store';
import { continuousTargetPuts } from './continuous/continuous-job-items';
import { fromJobItem, toJobItem } from './items';
import { jobListPageKey, jobListQuery } from './queries';
import { CONDITION, Conditions, conditionalUpdate } from './table/expressions';
import { keys } from './table/keys';
import {
  backOff,
  type Item,
  type PutParams,
  TableAccess,
  type TransactParams,
  type UpdateParams,
} from './table/table-access';
import { requestCascadeParams } from './work/job-cascade-items';
import { addSourcesParams, newWorkParams, rolloutRetunedParams } from './work/job-work-items';

/** Tries of a cancel or delete that met other writes of the job. */
const CONFLICT_ATTEMPTS = 8;

/** A new job, only if its jobId is free. */
export const createJobParams = (job: JobRecord): PutParams => ({
  Item: toJobItem(job),
  ConditionExpression: CONDITION.absent,
});

/** A new job and its work record (where its fan-out stands), only if its jobId is free. */
export const createJobTransaction = (job: JobRecord, work: JobWorkRecord): TransactParams[] => [
  { Put: createJobParams(job) },
  { Put: newWorkParams(work) },
];

/**
 * A continuous job's targets grown: the job (still IN_PROGRESS, that
 * incarnation, the targets as read) shows the new ones and that its fan-out
 * runs again; its work record gets their member lists as sources, back in
 * the list of work to do.
 */
export function associateTargetsTransaction(job: JobRecord, change: TargetAssociation): TransactParams[] {
  const jobUpdate = conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: `SET targets = list_append(targets, :targets), executionsCreated = :false, lastUpdatedAt = :now${change.comment !== undefined ? ', #comment = :comment' : ''}`,
      values: {
        ':targets': change.targets,
        ':false': false,
        ':now': change.now,
        ...(change.comment !== undefined ? { ':comment': change.comment } : {}),
      },
    },
    new Conditions()
      .add(CONDITION.jobInProgress, { ':jobInProgress': 'IN_PROGRESS' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation })
      .add('size(targets) = :targetCount', { ':targetCount': job.targets.length }),
  );
  return [{ Update: jobUpdate }, { Update: addSourcesParams(job, change.sources) }];
}

/**
 * UpdateJob in one transaction: the members given set on the job, only while
 * it is IN_PROGRESS at this incarnation; and with a new rollout state, that
 * state on its work record (un-parked, so the next tick finds it), only while
 * no cascade is asked for.
 */
export function updateJobTransaction(job: JobRecord, update: JobUpdate): TransactParams[] {
  const entries = Object.entries(update.changes).filter(([, value]) => value !== undefined);
  const names = Object.fromEntries(entries.map(([name], i) => [`#m${i}`, name]));
  const jobUpdate = conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: `SET ${[...entries.map((_, i) => `#m${i} = :m${i}`), 'lastUpdatedAt = :now'].join(', ')}`,
      values: { ...Object.fromEntries(entries.map(([, value], i) => [`:m${i}`, value])), ':now': update.now },
    },
    new Conditions()
      .add(CONDITION.jobUpdatable, { ':jobInProgress': 'IN_PROGRESS', ':jobScheduled': 'SCHEDULED' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );
  const withNames = { ...jobUpdate, ExpressionAttributeNames: { ...jobUpdate.ExpressionAttributeNames, ...names } };
  return [{ Update: withNames }, ...(update.rollout ? [{ Update: rolloutRetunedParams(job, update.rollout) }] : [])];
}

/** SCHEDULED -> IN_PROGRESS at its startTime. */
export const startScheduledParams = (job: JobRecord, now: number): UpdateParams =>
  conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: 'SET #status = :inProgress, lastUpdatedAt = :now',
      values: { ':inProgress': 'IN_PROGRESS', ':now': now },
    },
    new Conditions()
      .add('#status = :scheduled', { ':scheduled': 'SCHEDULED' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );

/** The cascade a cancel or delete of this incarnation asks for. */
const cascadeOf = (kind: CascadeKind, force: boolean, serial: string, by?: Actor): JobCascade => ({
  kind,
  force,
  serial,
  page: 0,
  ...(by ? { by } : {}),
});

/** IN_PROGRESS or CANCELED -> CANCELED, with why (a forced cancel stays forced), and the cascade that cancels its executions, in one transaction. */
export function cancelJobTransaction(job: JobRecord, cancellation: JobCancellation): TransactParams[] {
  const update = cancelJobParams(job.jobId, cancellation);
  return [
    { Update: withIncarnation(update, job.incarnation) },
    {
      Update: requestCascadeParams(
        job.jobId,
        job.incarnation,
        cascadeOf('cancel', cancellation.force, cancellation.serial, cancellation.by),
      ),
    },
  ];
}

/** -> DELETION_IN_PROGRESS, and the cascade that deletes its executions and then the job, in one transaction. */
export function deleteJobTransaction(
  job: JobRecord,
  deletion: { force: boolean; serial: string; now: number },
): TransactParams[] {
  return [
    { Update: withIncarnation(startDeletionParams(job.jobId, deletion.force, deletion.now), job.incarnation) },
    { Update: requestCascadeParams(job.jobId, job.incarnation, cascadeOf('delete', deletion.force, deletion.serial)) },
  ];
}

/** The same write, only to the incarnation read (the job was not deleted and created again in between). */
const withIncarnation = (params: UpdateParams, incarnation: string): UpdateParams => ({
  ...params,
  ConditionExpression: `(${params.ConditionExpression}) AND incarnation = :jobIncarnation`,
  ExpressionAttributeValues: { ...params.ExpressionAttributeValues, ':jobIncarnation': incarnation },
});

/** IN_PROGRESS, SCHEDULED or CANCELED (an abort or a scheduled end: not CANCELED) -> CANCELED, with why; a forced cancel stays forced. */
export function cancelJobParams(jobId: string, cancellation: Omit<JobCancellation, 'serial'>): UpdateParams {
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
  const conditions = cancellation.onlyUnfinished
    ? new Conditions().add(CONDITION.jobUpdatable, { ':jobInProgress': 'IN_PROGRESS', ':jobScheduled': 'SCHEDULED' })
    : new Conditions().add(CONDITION.jobCancelable, {
        ':jobInProgress': 'IN_PROGRESS',
        ':jobCanceled': 'CANCELED',
        ':jobScheduled': 'SCHEDULED',
      });
  return conditionalUpdate(keys.job(jobId), { UpdateExpression: `SET ${set.join(', ')}`, values }, conditions);
}

/** -> DELETION_IN_PROGRESS: from a finished job (or one being deleted), or from any with force. */
export function startDeletionParams(jobId: string, force: boolean, now: number): UpdateParams {
  const conditions = force
    ? new Conditions().add(CONDITION.jobExists)
    : new Conditions().add(CONDITION.jobDeletable, {
        ':jobCompleted': 'COMPLETED',
        ':jobCanceled': 'CANCELED',
        ':jobDeleting': 'DELETION_IN_PROGRESS',
      });
  const update = {
    UpdateExpression: 'SET #status = :deleting, lastUpdatedAt = :now',
    values: { ':deleting': 'DELETION_IN_PROGRESS', ':now': now },
  };
  return conditionalUpdate(keys.job(jobId), update, conditions);
}

/** Job items (`JOB#<job>` / `JOB`): create, read, list, cancel, delete, and the immutable document devices fetch. */
export class DynamoJobStore implements JobStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createJob(job: JobRecord, work: JobWorkRecord): Promise<JobWriteOutcome> {
    // A continuous job is listed under its groups first: a thing that joins one once the job exists finds it. A listing left by a CreateJob refused is of an incarnation no job has, and is passed over.
    const listings = isContinuous(job) ? continuousTargetPuts(job) : [];
    if (listings.length) await this.access.batchWrite(listings);
    const outcome = await this.access.transactWrite(createJobTransaction(job, work));
    if (outcome.applied) return { applied: true, job };
    const current = await this.getJob(job.jobId);
    return { applied: false, ...(current ? { current } : {}) };
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  /** The document and incarnation of a job, or undefined if there is no such job (read strongly: a device may ask the instant it was created). */
  async loadDocument(jobId: string): Promise<{ document: string; incarnation: string } | undefined> {
    return (await this.access.get(keys.job(jobId), 'document, incarnation')) as
      | { document: string; incarnation: string }
      | undefined;
  }

  async listJobs(filter: JobListFilter, page: PageQuery): Promise<Page<JobSummary>> {
    const { status, targetSelection, target } = filter;
    const result = await this.access.queryPage(
      `jobs/${status ?? ''}/${targetSelection ?? ''}/${target ?? ''}`,
      page,
      jobListQuery(status),
      jobListPageKey,
    );
    const unprojected = await this.unprojectedOf(
      result.items.map((item) => item.jobId as string),
      target !== undefined,
    );
    const items = result.items
      .map((item) => ({
        ...fromJobItem(item),
        targetSelection: unprojected.get(item.jobId as string)?.targetSelection ?? ('SNAPSHOT' as const),
      }))
      // A page filtered here may hold fewer jobs than asked for, as one filtered by DynamoDB would; its nextToken goes on.
      .filter((job) => !targetSelection || job.targetSelection === targetSelection)
      .filter((job) => target === undefined || (unprojected.get(job.jobId)?.targets ?? []).includes(target));
    return { items, ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  /**
   * What the jobs index does not project (it came later, and an index's
   * projection cannot change in place), from the job items: each job's target
   * selection (none stored: SNAPSHOT), and its targets if asked for.
   */
  private async unprojectedOf(
    jobIds: readonly string[],
    withTargets: boolean,
  ): Promise<Map<string, { targetSelection: TargetSelection; targets?: string[] }>> {
    if (!jobIds.length) return new Map();
    const items = await this.access.batchGet(jobIds.map(keys.job), {
      expression: `jobId, targetSelection${withTargets ? ', targets' : ''}`,
    });
    return new Map(
      items.map((item) => [
        item.jobId as string,
        {
          targetSelection: (item.targetSelection as TargetSelection | undefined) ?? 'SNAPSHOT',
          ...(withTargets ? { targets: item.targets as string[] } : {}),
        },
      ]),
    );
  }

  async associateTargets(job: JobRecord, change: TargetAssociation): Promise<JobWriteOutcome> {
    // Listed first, as at creation: a thing that joins a new group once the job targets it finds the job.
    await this.access.batchWrite(continuousTargetPuts(job, change.groupNames));
    const outcome = await this.access.transactWrite(associateTargetsTransaction(job, change));
    if (outcome.applied)
      return {
        applied: true,
        job: {
          ...job,
          targets: [...job.targets, ...change.targets],
          executionsCreated: false,
          lastUpdatedAt: change.now,
        },
      };
    const current = await this.getJob(job.jobId);
    return { applied: false, ...(current ? { current } : {}) };
  }

  async updateJob(job: JobRecord, update: JobUpdate): Promise<JobWriteOutcome> {
    const outcome = await this.access.transactWrite(updateJobTransaction(job, update));
    if (outcome.applied)
      return {
        applied: true,
        job: {
          ...job,
          ...Object.fromEntries(Object.entries(update.changes).filter(([, v]) => v !== undefined)),
          lastUpdatedAt: update.now,
        },
      };
    const current = await this.getJob(job.jobId);
    return { applied: false, ...(current ? { current } : {}) };
  }

  /** A scheduled job's start: SCHEDULED -> IN_PROGRESS, only from SCHEDULED at that incarnation; the job as it stands after either way. */
  async startScheduledJob(job: JobRecord, now: number): Promise<JobRecord | undefined> {
    const outcome = await this.access.update(startScheduledParams(job, now));
    return outcome.applied ? fromJobItem(outcome.item) : outcome.item ? fromJobItem(outcome.item) : undefined;
  }

  async cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome> {
    return await this.changeWithCascade(
      jobId,
      (job) => cancelJobTransaction(job, cancellation),
      cancellation.incarnation,
    );
  }

  async startJobDeletion(
    jobId: string,
    deletion: { force: boolean; serial: string; now: number },
  ): Promise<JobWriteOutcome> {
    return await this.changeWithCascade(jobId, (job) => deleteJobTransaction(job, deletion));
  }

  /**
   * The job read, then its change and its cascade in one transaction on that
   * incarnation. Refused, it is read again: a refusal because of its state is
   * the answer; one because another write came between (a conflict, or its
   * counts moved) is tried again. With `incarnation`, only that one.
   */
  private async changeWithCascade(
    jobId: string,
    transaction: (job: JobRecord) => TransactParams[],
    incarnation?: string,
  ): Promise<JobWriteOutcome> {
    let current = await this.getJob(jobId);
    for (let attempt = 0; current; attempt++) {
      // Meant for one incarnation, and the jobId now names another: refused as it stands.
      if (incarnation !== undefined && current.incarnation !== incarnation) return { applied: false, current };
      const outcome = await this.access.transactWrite(transaction(current));
      // The job as read before its change: what the caller answers with (its identity) is unchanged by it.
      if (outcome.applied) return { applied: true, job: current };
      const after = await this.getJob(jobId);
      const [jobWrite] = outcome.reasons;
      if (
        !after ||
        (jobWrite === 'ConditionalCheckFailed' && after.incarnation === current.incarnation) ||
        attempt === CONFLICT_ATTEMPTS
      ) {
        return { applied: false, ...(after ? { current: after } : {}) };
      }
      await backOff(attempt + 1);
      current = after;
    }
    return { applied: false };
  }
}
