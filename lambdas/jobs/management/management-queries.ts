import type { ExecutionStatus, JobExecutionRecord } from '../execution/execution';
import { settleExpired } from '../execution/expiry';
import { executionNotFound, executionNumberNotFound } from '../execution/not-found';
import type { ExecutionStore } from '../execution/store';
import { processingTargets } from '../fleet/fan-out';
import { nextWindowStarts } from '../rollout/schedule';
import { type ArnContext, thingArn, thingGroupArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import { ResourceNotFoundException } from '../shared/errors';
import type { JobDocumentSource, Page } from '../shared/ports';
import type { JobWorkRunner } from '../work/job-work';
import type {
  ExecutionKeyInput,
  JobIdInput,
  ListExecutionsForJobInput,
  ListExecutionsForThingInput,
  ListJobsInput,
} from './inputs';
import type { JobRecord } from './job';
import type { ExecutionAdminStore, JobStore } from './store';
import { toExecutionSummary, toJobSummaryView, toJobView, toManagementExecutionView } from './views';

export const jobNotFound = (jobId: string) => new ResourceNotFoundException(`Job ${jobId} does not exist`);

/**
 * The reads of the jobs part of the management API (iot): jobs and their
 * executions, described and listed. ManagementJobs (management-jobs.ts) adds
 * the writes.
 */
export class ManagementQueries {
  constructor(
    protected readonly jobs: JobStore,
    protected readonly executions: ExecutionAdminStore & Pick<ExecutionStore, 'get' | 'timeOut'>,
    protected readonly documents: JobDocumentSource,
    protected readonly arnContext: ArnContext,
    protected readonly clock: Clock,
    protected readonly work: JobWorkRunner,
  ) {}

  async describeJob({ jobId }: JobIdInput) {
    const job = await this.requireJob(jobId);
    // Where the fan-out stands is read only while it runs.
    const work = job.executionsCreated ? undefined : await this.work.get(jobId);
    return {
      ...(job.documentSource !== undefined ? { documentSource: job.documentSource } : {}),
      job: toJobView(job, processingTargets(job, work), nextWindowStarts(job.schedulingConfig, this.clock(), 7)),
    };
  }

  async getJobDocument({ jobId }: JobIdInput) {
    const job = await this.requireJob(jobId);
    return { document: await this.documents.getDocument(job.jobId, job.incarnation) };
  }

  async listJobs(input: ListJobsInput) {
    const filter = {
      ...(input.status ? { status: input.status } : {}),
      ...(input.targetSelection ? { targetSelection: input.targetSelection } : {}),
      ...(input.thingGroupName !== undefined ? { target: thingGroupArn(this.arnContext, input.thingGroupName) } : {}),
    };
    const page = await this.jobs.listJobs(filter, input);
    return { jobs: page.items.map(toJobSummaryView), ...nextToken(page) };
  }

  async listExecutionsForJob(input: ListExecutionsForJobInput) {
    const job = await this.requireJob(input.jobId);
    // Only the executions of a job with retries have a retryAttempt to show (retries can be added, never taken away):
    // only theirs are read whole.
    const whole = job.jobExecutionsRetryConfig !== undefined;
    const page = await this.settledPage(
      await this.executions.listExecutionsForJob(input.jobId, input.status, input, whole),
      input.status,
    );
    return {
      executionSummaries: page.items.map((e) => ({
        thingArn: thingArn(this.arnContext, e.thingName),
        jobExecutionSummary: toExecutionSummary(e),
      })),
      ...nextToken(page),
    };
  }

  async listExecutionsForThing(input: ListExecutionsForThingInput) {
    const filter = {
      ...(input.status ? { status: input.status } : {}),
      ...(input.jobId ? { jobId: input.jobId } : {}),
    };
    const page = await this.settledPage(
      await this.executions.listExecutionsForThing(input.thingName, filter, input),
      input.status,
    );
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

  protected async requireJob(jobId: string): Promise<JobRecord> {
    const job = await this.jobs.getJob(jobId);
    if (!job) throw jobNotFound(jobId);
    return job;
  }

  /** A page as it stands now: expired executions time out on the way, and leave a page filtered on another status. */
  private async settledPage(
    page: Page<JobExecutionRecord>,
    status: ExecutionStatus | undefined,
  ): Promise<Page<JobExecutionRecord>> {
    const now = this.clock();
    const settled = await Promise.all(page.items.map((e) => settleExpired(this.executions, e, now)));
    const items = settled.filter(
      (e): e is JobExecutionRecord => e !== undefined && (status === undefined || e.status === status),
    );
    return { items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }
}

const nextToken = (page: Page<unknown>) => (page.nextToken ? { nextToken: page.nextToken } : {});
