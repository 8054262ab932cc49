import type { Clock } from './clock';
import { newExecution, newJob, type ArnContext, type CreateJobInput } from './job';
import type { JobStore } from './ports';

export interface CreateJobResult {
  jobArn: string;
  jobId: string;
  description?: string;
}

/** The jobs part of the management API (iot). */
export class ManagementJobs {
  constructor(
    private readonly jobs: JobStore,
    private readonly arnContext: ArnContext,
    private readonly clock: Clock,
    private readonly newIncarnation: () => string,
  ) {}

  async createJob(input: CreateJobInput): Promise<CreateJobResult> {
    const job = newJob(input, this.arnContext, this.newIncarnation(), this.clock());
    await this.jobs.createJob(
      job,
      input.thingNames.map((thingName) => newExecution(job, thingName)),
    );
    return { jobArn: job.jobArn, jobId: job.jobId, ...(job.description !== undefined ? { description: job.description } : {}) };
  }
}
