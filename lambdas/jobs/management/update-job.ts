import { retunedRollout } from '../rollout/release-rate';
import type { Clock } from '../shared/clock';
import { InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { JobWorkRunner } from '../work/job-work';
import type { UpdateJobInput } from './inputs';
import type { JobRecord } from './job';
import type { JobStore } from './store';

export interface UpdateContext {
  jobs: JobStore;
  work: Pick<JobWorkRunner, 'get' | 'request'>;
  clock: Clock;
}

const notInProgress = (jobId: string, status: string) =>
  new InvalidRequestException(`Job ${jobId} is ${status}: only an IN_PROGRESS or SCHEDULED job can be updated`);

/**
 * UpdateJob: the members given replace the job's, only while it is
 * IN_PROGRESS. A rollout rate takes effect at once on the rest of the
 * fan-out (a faster one releases the difference in the current minute); an
 * abort criterion at the next change of the counts; a timeout and retries
 * on the executions written from now on (each execution carries its own, as
 * at creation).
 */
export async function updateJob(job: JobRecord, input: UpdateJobInput, context: UpdateContext): Promise<void> {
  if (job.status !== 'IN_PROGRESS' && job.status !== 'SCHEDULED') throw notInProgress(job.jobId, job.status);
  const { jobId: _jobId, ...changes } = input;
  const rolloutConfig = input.jobExecutionsRolloutConfig;
  const work = rolloutConfig ? await context.work.get(job.jobId) : undefined;
  // Only a fan-out still running has things left to release.
  const rollout =
    rolloutConfig && work && !work.fanOutDone && !work.cascade
      ? retunedRollout(rolloutConfig, work.rollout, job.executionCounts?.SUCCEEDED ?? 0)
      : undefined;
  const outcome = await context.jobs.updateJob(job, { changes, ...(rollout ? { rollout } : {}), now: context.clock() });
  if (!outcome.applied) {
    if (!outcome.current || outcome.current.incarnation !== job.incarnation)
      throw new ResourceNotFoundException(`Job ${job.jobId} does not exist`);
    throw notInProgress(job.jobId, outcome.current.status);
  }
  // The worker releases what the new rate allows now, instead of at the next tick.
  if (rollout) await context.work.request(job.jobId);
}
