import { groupSources } from '../fleet/fan-out';
import { refuseForeignTargets, type TargetRules, targetGroups } from '../fleet/target-resolution';
import type { ArnContext } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  InvalidRequestException,
  LimitExceededException,
  ResourceNotFoundException,
  VersionConflictException,
} from '../shared/errors';
import type { JobWorkRunner } from '../work/job-work';
import type { AssociateTargetsInput } from './inputs';
import { isContinuous, type JobRecord, MAX_CONTINUOUS_TARGETS } from './job';
import type { JobStore } from './store';

export interface AssociationContext {
  jobs: JobStore;
  work: Pick<JobWorkRunner, 'get'>;
  targetRules: TargetRules;
  arnContext: ArnContext;
  clock: Clock;
}

const notInProgress = (jobId: string, status: string) =>
  new InvalidRequestException(`Job ${jobId} is ${status}: only an IN_PROGRESS job can be associated with more targets`);

/**
 * AssociateTargetsWithJob with AWS's rules: only a CONTINUOUS job, only
 * while IN_PROGRESS, thing groups only (the request checks), at most
 * MAX_CONTINUOUS_TARGETS targets in all. A group the job targets already is
 * passed over. True if targets were added: their members are then the
 * fan-out's, as a CreateJob's would be.
 */
export async function associateTargets(
  job: JobRecord,
  input: AssociateTargetsInput,
  context: AssociationContext,
): Promise<boolean> {
  if (!isContinuous(job))
    throw new InvalidRequestException(
      `Job ${job.jobId} is a SNAPSHOT job: only a CONTINUOUS job can be associated with more targets`,
    );
  if (job.status !== 'IN_PROGRESS') throw notInProgress(job.jobId, job.status);
  refuseForeignTargets(input.targets, context.arnContext, 'nothing was associated');
  const fresh = input.targets
    .map((arn, i) => ({ arn, groupName: input.groupNames[i]! }))
    .filter(({ arn }) => !job.targets.includes(arn));
  if (!fresh.length) return false;
  if (job.targets.length + fresh.length > MAX_CONTINUOUS_TARGETS) {
    throw new LimitExceededException(
      `Job ${job.jobId} would have ${job.targets.length + fresh.length} targets: ` +
        `a job may have at most ${MAX_CONTINUOUS_TARGETS}`,
    );
  }
  const groups = await targetGroups(
    fresh.map((t) => t.groupName),
    context.targetRules,
    context.arnContext,
    'nothing was associated',
  );
  const work = await context.work.get(job.jobId);
  // The groups the fan-out reads already (a new target below an old one): their members have executions, or will.
  const listed = new Set(
    (work?.sources ?? []).flatMap((source) => (source.kind === 'group' ? [source.groupName] : [])),
  );
  const outcome = await context.jobs.associateTargets(job, {
    targets: fresh.map((t) => t.arn),
    groupNames: fresh.map((t) => t.groupName),
    sources: groupSources(groups, listed),
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
    now: context.clock(),
  });
  if (outcome.applied) return true;
  if (!outcome.current) throw new ResourceNotFoundException(`Job ${job.jobId} does not exist`);
  if (outcome.current.status !== 'IN_PROGRESS') throw notInProgress(job.jobId, outcome.current.status);
  throw new VersionConflictException(
    `The targets of job ${job.jobId} changed while these were being associated; retry`,
  );
}
