import type { Clock } from '../shared/clock';
import { forEachLimited } from '../shared/concurrency';
import { InvalidRequestException, InvalidStateTransitionException, ResourceAlreadyExistsException, ResourceNotFoundException, VersionConflictException } from '../shared/errors';
import { thingArn, type ArnContext } from '../shared/arns';
import type { JobDocumentSource, Page } from '../shared/ports';
import { isTerminal, type ExecutionStatus, type JobExecutionRecord } from '../execution/execution';
import { settleExpired } from '../execution/expiry';
import { newExecution, newJob, thingsOf, type CreateJobInput, type JobRecord } from './job';
import type {
  CancelExecutionInput,
  CancelJobInput,
  DeleteExecutionInput,
  DeleteJobInput,
  ExecutionKeyInput,
  JobIdInput,
  ListExecutionsForJobInput,
  ListExecutionsForThingInput,
  ListJobsInput,
} from './inputs';
import { toExecutionSummary, toJobSummaryView, toJobView, toManagementExecutionView } from './views';
import type { ExecutionStore } from '../execution/store';
import type { ExecutionAdminStore, JobStore } from './store';
import { executionNotFound, executionNumberNotFound } from '../execution/not-found';
import { resolveTargets, type TargetRules } from '../fleet/target-resolution';

export interface CreateJobResult {
  jobArn: string;
  jobId: string;
  description?: string;
}

/** Conditional writes a cascade keeps in flight at once. */
const CASCADE_CONCURRENCY = 25;
/** Executions read per page by a cascade. */
const CASCADE_PAGE = 250;

const jobNotFound = (jobId: string) => new ResourceNotFoundException(`Job ${jobId} does not exist`);

/** The jobs part of the management API (iot). */
export class ManagementJobs {
  constructor(
    private readonly jobs: JobStore,
    private readonly executions: ExecutionAdminStore & Pick<ExecutionStore, 'get' | 'timeOut'>,
    private readonly documents: JobDocumentSource,
    private readonly arnContext: ArnContext,
    private readonly clock: Clock,
    private readonly newIncarnation: () => string,
    private readonly targetRules: TargetRules,
  ) {}

  async createJob(input: CreateJobInput): Promise<CreateJobResult> {
    const targetThings = await resolveTargets(input, this.targetRules, this.arnContext);
    const job = newJob(input, this.arnContext, this.newIncarnation(), this.clock(), targetThings);
    const created = await this.jobs.createJob(job);
    if (created.applied) {
      await this.fanOut(job, thingsOf(job));
      return jobIdentity(job);
    }
    const existing = created.current;
    // The same CreateJob again, while the first still fans out (a client that gave up waiting) or after it died part-way: join that fan-out.
    if (!existing || existing.executionsCreated || !isSameJob(existing, job)) {
      throw new ResourceAlreadyExistsException(`Job ${job.jobId} already exists`, job.jobId, job.jobArn);
    }
    // The things it was created for, not the groups' members now: a snapshot stays one.
    await this.fanOut(existing, thingsOf(existing));
    return jobIdentity(existing);
  }

  /**
   * Writes the job's executions, then marks its fan-out done. Only absent
   * executions are written (one an earlier attempt wrote may have moved on),
   * and none once the job is canceled or being deleted: the fan-out is over
   * then too, with the executions written before.
   */
  private async fanOut(job: JobRecord, thingNames: string[]): Promise<void> {
    await this.executions.createExecutions(job, thingNames.map((thingName) => newExecution(job, thingName)));
    await this.jobs.markFanOutComplete(job.jobId);
  }

  async describeJob({ jobId }: JobIdInput) {
    return { job: toJobView(await this.requireJob(jobId)) };
  }

  async getJobDocument({ jobId }: JobIdInput) {
    const job = await this.requireJob(jobId);
    return { document: await this.documents.getDocument(job.jobId, job.incarnation) };
  }

  async listJobs(input: ListJobsInput) {
    // Every job is a SNAPSHOT job that runs at once, until continuous and scheduled jobs exist: no job matches these filters.
    if (input.targetSelection === 'CONTINUOUS' || input.status === 'SCHEDULED') return { jobs: [] };
    const page = await this.jobs.listJobs(input.status, input);
    return { jobs: page.items.map(toJobSummaryView), ...nextToken(page) };
  }

  async listExecutionsForJob(input: ListExecutionsForJobInput) {
    await this.requireJob(input.jobId);
    const page = await this.settledPage(await this.executions.listExecutionsForJob(input.jobId, input.status, input), input.status);
    return {
      executionSummaries: page.items.map((e) => ({ thingArn: thingArn(this.arnContext, e.thingName), jobExecutionSummary: toExecutionSummary(e) })),
      ...nextToken(page),
    };
  }

  async listExecutionsForThing(input: ListExecutionsForThingInput) {
    const filter = { ...(input.status ? { status: input.status } : {}), ...(input.jobId ? { jobId: input.jobId } : {}) };
    const page = await this.settledPage(await this.executions.listExecutionsForThing(input.thingName, filter, input), input.status);
    return {
      executionSummaries: page.items.map((e) => ({ jobId: e.jobId, jobExecutionSummary: toExecutionSummary(e) })),
      ...nextToken(page),
    };
  }

  async describeExecution(input: ExecutionKeyInput) {
    const now = this.clock();
    const stored = await this.executions.get(input.thingName, input.jobId);
    const execution = stored && (await settleExpired(this.executions, stored, now));
    if (!execution) throw executionNotFound(input.thingName, input.jobId);
    if (input.executionNumber !== undefined && input.executionNumber !== execution.executionNumber) {
      throw executionNumberNotFound(input.thingName, input.jobId, input.executionNumber, execution.executionNumber);
    }
    return { execution: toManagementExecutionView(execution, this.arnContext, now) };
  }

  async cancelJob(input: CancelJobInput): Promise<CreateJobResult> {
    const now = this.clock();
    const outcome = await this.jobs.cancelJob(input.jobId, {
      force: input.force,
      now,
      ...(input.reasonCode !== undefined ? { reasonCode: input.reasonCode } : {}),
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
    });
    if (!outcome.applied) {
      if (!outcome.current) throw jobNotFound(input.jobId);
      throw new InvalidRequestException(`Job ${input.jobId} is ${outcome.current.status} and cannot be canceled`);
    }
    // Every target's execution, read from the job itself (no index to lag behind a fan-out that wrote it a moment ago).
    // Canceling again is allowed: with force it reaches the IN_PROGRESS executions a first cancel left running.
    await forEachLimited(thingsOf(outcome.job), CASCADE_CONCURRENCY, (thingName) =>
      // A refused cancel means the device got there first (started, finished, or timed out), or there is no execution: it keeps its state.
      this.executions.cancelExecution({ thingName, jobId: input.jobId, jobIncarnation: outcome.job.incarnation, force: input.force, now }),
    );
    return jobIdentity(outcome.job);
  }

  async deleteJob(input: DeleteJobInput): Promise<object> {
    const outcome = await this.jobs.startJobDeletion(input.jobId, input.force, this.clock());
    if (!outcome.applied) {
      if (!outcome.current) throw jobNotFound(input.jobId);
      throw new InvalidStateTransitionException(`Job ${input.jobId} is ${outcome.current.status}: delete it with force=true, or cancel it first`);
    }
    // Page by page; a pass that deletes nothing proves none is left (an execution never changes its index key).
    let deleted: number;
    do {
      deleted = 0;
      let token: string | undefined;
      do {
        const page = await this.executions.listExecutionsForJob(input.jobId, undefined, { maxResults: CASCADE_PAGE, ...(token ? { nextToken: token } : {}) });
        await this.executions.deleteExecutions(page.items);
        deleted += page.items.length;
        token = page.nextToken;
      } while (token);
    } while (deleted > 0);
    await this.jobs.deleteJobItem(input.jobId);
    return {};
  }

  async cancelExecution(input: CancelExecutionInput): Promise<object> {
    const now = this.clock();
    const outcome = await this.executions.cancelExecution({ ...input, now });
    if (outcome.applied) return {};
    const current = outcome.current && (await settleExpired(this.executions, outcome.current, now));
    if (!current) throw executionNotFound(input.thingName, input.jobId);
    if (isTerminal(current.status)) {
      throw new InvalidStateTransitionException(`Job execution of job ${input.jobId} for thing ${input.thingName} is ${current.status}, a terminal status, and cannot be canceled`);
    }
    if (current.status === 'IN_PROGRESS' && !input.force) {
      throw new InvalidStateTransitionException(`Job execution of job ${input.jobId} for thing ${input.thingName} is IN_PROGRESS: cancel it with force=true`);
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.versionNumber) {
      throw new VersionConflictException(`expectedVersion ${input.expectedVersion} does not match the current versionNumber ${current.versionNumber}`);
    }
    throw new InvalidStateTransitionException(`Job execution of job ${input.jobId} for thing ${input.thingName} changed while it was being canceled; retry`);
  }

  async deleteExecution(input: DeleteExecutionInput): Promise<object> {
    const now = this.clock();
    const outcome = await this.executions.deleteExecution({ ...input, now });
    if (outcome.applied) return {};
    const current = outcome.current;
    if (!current) throw executionNotFound(input.thingName, input.jobId);
    if (current.executionNumber !== input.executionNumber) {
      throw executionNumberNotFound(input.thingName, input.jobId, input.executionNumber, current.executionNumber);
    }
    throw new InvalidStateTransitionException(
      `Job execution of job ${input.jobId} for thing ${input.thingName} is ${current.status}: only a terminal execution can be deleted without force=true`,
    );
  }

  private async requireJob(jobId: string): Promise<JobRecord> {
    const job = await this.jobs.getJob(jobId);
    if (!job) throw jobNotFound(jobId);
    return job;
  }

  /** A page as it stands now: expired executions time out on the way, and leave a page filtered on another status. */
  private async settledPage(page: Page<JobExecutionRecord>, status: ExecutionStatus | undefined): Promise<Page<JobExecutionRecord>> {
    const now = this.clock();
    const settled = await Promise.all(page.items.map((e) => settleExpired(this.executions, e, now)));
    const items = settled.filter((e): e is JobExecutionRecord => e !== undefined && (status === undefined || e.status === status));
    return { items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }
}

/** What a CreateJob asked for, compared: a retry must ask for exactly the job that exists. */
const isSameJob = (a: JobRecord, b: JobRecord) =>
  a.document === b.document &&
  a.description === b.description &&
  a.timeoutConfig?.inProgressTimeoutInMinutes === b.timeoutConfig?.inProgressTimeoutInMinutes &&
  [...a.targets].sort().join() === [...b.targets].sort().join();

const jobIdentity = (job: JobRecord): CreateJobResult => ({
  jobArn: job.jobArn,
  jobId: job.jobId,
  ...(job.description !== undefined ? { description: job.description } : {}),
});

const nextToken = (page: Page<unknown>) => (page.nextToken ? { nextToken: page.nextToken } : {});
