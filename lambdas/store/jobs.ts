import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredJobDocument } from '../jobs/documents/delivered-documents';
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
import type { Page, PageQuery } from '../jobs/shared/ports';
import type { JobWorkRecord } from '../jobs/work/job-work-record';
import { continuousTargetPuts } from './continuous/continuous-job-items';
import { fromJobItem } from './items';
import {
  associateTargetsTransaction,
  cancelJobTransaction,
  createJobTransaction,
  deleteJobTransaction,
  startScheduledParams,
  updateJobTransaction,
} from './job-writes';
import { jobListPageKey, jobListQuery } from './queries';
import { keys } from './table/keys';
import { backOff, TableAccess } from './table/table-access';
import type { Item, TransactParams } from './table/table-params';

/** Tries of a cancel or delete that met other writes of the job. */
const CONFLICT_ATTEMPTS = 8;

/** Job items (`JOB#<job>` / `JOB`): create, read, list, cancel, delete, and the immutable document devices fetch. */
export class DynamoJobStore implements JobStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createJob(job: JobRecord, work: JobWorkRecord): Promise<JobWriteOutcome> {
    // A continuous job is listed under its groups first: a thing that joins one once the job exists finds it. A listing
    // left by a CreateJob refused is of an incarnation no job has, and is passed over.
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

  /**
   * The document and incarnation of a job, or undefined if there is no such job (read strongly: a device may ask the
   * instant it was created).
   */
  async loadDocument(jobId: string): Promise<(StoredJobDocument & { incarnation: string }) | undefined> {
    return (await this.access.get(keys.job(jobId), 'document, incarnation, presignedUrlConfig')) as
      | (StoredJobDocument & { incarnation: string })
      | undefined;
  }

  async listJobs(filter: JobListFilter, page: PageQuery): Promise<Page<JobSummary>> {
    const { status, targetSelection, target } = filter;
    const unprojected = new Map<string, { targetSelection: TargetSelection; targets?: string[] }>();
    // What the index does not project is read per query, and filtered before the page counts it: a page ends with a
    // nextToken only if a job that passes the filters follows.
    const keep = async (items: Item[]) => {
      for (const [jobId, value] of await this.unprojectedOf(
        items.map((item) => item.jobId as string),
        target !== undefined,
      ))
        unprojected.set(jobId, value);
      return items.filter((item) => {
        const job = unprojected.get(item.jobId as string);
        return (
          (!targetSelection || (job?.targetSelection ?? 'SNAPSHOT') === targetSelection) &&
          (target === undefined || (job?.targets ?? []).includes(target))
        );
      });
    };
    const result = await this.access.queryPage(
      `jobs/${status ?? ''}/${targetSelection ?? ''}/${target ?? ''}`,
      page,
      jobListQuery(status),
      jobListPageKey,
      keep,
    );
    const items = result.items.map((item) => ({
      ...fromJobItem(item),
      targetSelection: unprojected.get(item.jobId as string)?.targetSelection ?? ('SNAPSHOT' as const),
    }));
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

  /**
   * A scheduled job's start: SCHEDULED -> IN_PROGRESS, only from SCHEDULED at that incarnation; the job as it stands
   * after either way.
   */
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
