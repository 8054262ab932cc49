import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobRecord, JobStatus } from '../jobs/management/job';
import type { JobCancellation, JobStore, JobSummary, JobWriteOutcome } from '../jobs/management/store';
import type { Page, PageQuery } from '../jobs/shared/ports';
import { fromJobItem, toJobItem } from './items';
import { jobListPageKey, jobListQuery } from './queries';
import { CONDITION, conditionalUpdate, Conditions } from './table/expressions';
import { keys } from './table/keys';
import { TableAccess, type Item, type PutParams, type RawOutcome, type UpdateParams } from './table/table-access';

const toOutcome = (outcome: RawOutcome): JobWriteOutcome =>
  outcome.applied ? { applied: true, job: fromJobItem(outcome.item) } : { applied: false, ...(outcome.item ? { current: fromJobItem(outcome.item) } : {}) };

/** A new job, only if its jobId is free. */
export const createJobParams = (job: JobRecord): PutParams => ({ Item: toJobItem(job), ConditionExpression: CONDITION.absent });

/** The fan-out is done: every target's execution is written. */
export const fanOutCompleteParams = (jobId: string): UpdateParams =>
  conditionalUpdate(keys.job(jobId), { UpdateExpression: 'SET executionsCreated = :true', values: { ':true': true } }, new Conditions().add(CONDITION.exists));

/** IN_PROGRESS or CANCELED -> CANCELED, with why; a forced cancel stays forced. */
export function cancelJobParams(jobId: string, cancellation: JobCancellation): UpdateParams {
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
  return conditionalUpdate(keys.job(jobId), { UpdateExpression: `SET ${set.join(', ')}`, values }, conditions);
}

/** -> DELETION_IN_PROGRESS: from a finished job (or one being deleted), or from any with force. */
export function startDeletionParams(jobId: string, force: boolean, now: number): UpdateParams {
  const conditions = force
    ? new Conditions().add(CONDITION.jobExists)
    : new Conditions().add(CONDITION.jobDeletable, { ':jobCompleted': 'COMPLETED', ':jobCanceled': 'CANCELED', ':jobDeleting': 'DELETION_IN_PROGRESS' });
  const update = { UpdateExpression: 'SET #status = :deleting, lastUpdatedAt = :now', values: { ':deleting': 'DELETION_IN_PROGRESS', ':now': now } };
  return conditionalUpdate(keys.job(jobId), update, conditions);
}

/** Job items (`JOB#<job>` / `JOB`): create, read, list, cancel, delete, and the immutable document devices fetch. */
export class DynamoJobStore implements JobStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createJob(job: JobRecord): Promise<JobWriteOutcome> {
    const outcome = await this.access.put(createJobParams(job));
    return outcome.applied ? { applied: true, job } : toOutcome(outcome);
  }

  async markFanOutComplete(jobId: string): Promise<void> {
    // Refused only if the job was deleted meanwhile (a forced delete during its fan-out): then there is nothing left to mark.
    await this.access.update(fanOutCompleteParams(jobId));
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  /** The document and incarnation of a job, or undefined if there is no such job (read strongly: a device may ask the instant it was created). */
  async loadDocument(jobId: string): Promise<{ document: string; incarnation: string } | undefined> {
    return (await this.access.get(keys.job(jobId), 'document, incarnation')) as { document: string; incarnation: string } | undefined;
  }

  async listJobs(status: JobStatus | undefined, page: PageQuery): Promise<Page<JobSummary>> {
    const result = await this.access.queryPage(`jobs/${status ?? ''}`, page, jobListQuery(status), jobListPageKey);
    return { items: result.items.map((item) => fromJobItem(item)), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome> {
    return toOutcome(await this.access.update(cancelJobParams(jobId, cancellation)));
  }

  async startJobDeletion(jobId: string, force: boolean, now: number): Promise<JobWriteOutcome> {
    return toOutcome(await this.access.update(startDeletionParams(jobId, force, now)));
  }

  async deleteJobItem(jobId: string): Promise<void> {
    await this.access.delete({ Key: keys.job(jobId) });
  }
}
