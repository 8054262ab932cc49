import type { JobExecutionRecord } from '../execution/execution';
import { isContinuous, type JobRecord, newExecution } from '../management/job';
import { GROUP_ACTOR } from '../shared/actor';
import { groupNameOfArn, isThingGroupArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import { forEachLimited } from '../shared/concurrency';
import type { JobRef } from '../shared/ports';
import { namedThingsOf } from './fan-out';

/**
 * Continuous jobs (AWS semantics): a thing that joins one of the job's target
 * groups, or a group below one, gets an execution; a thing that leaves has
 * its QUEUED execution moved to REMOVED (one already IN_PROGRESS is left to
 * finish). Group membership changes reach this off the request path, from the
 * table's stream, so AddThingToThingGroup stays one transaction.
 */

/** A thing joined or left a static group (its membership item written or deleted), as the table's stream tells it. */
export interface MembershipChange {
  thingName: string;
  groupName: string;
  /**
   * The group's tree from its root down to the group itself (fixed: a group's parent never changes); absent on a
   * membership written before memberships carried it.
   */
  groupPath?: string[];
  change: 'joined' | 'left';
}

/** What a continuous job does for one thing now. */
export type ContinuousAction = 'create' | 'requeue' | 'remove' | 'none';

/**
 * The action for one thing, from how things stand now rather than from the
 * change that woke it: a stream delivers late, twice and out of order, and
 * whatever it delivers, the thing ends up with what its memberships say.
 * A thing that left while QUEUED and came back gets the job again (its
 * execution REMOVED is queued anew); one that ran it keeps what it reached.
 */
export function continuousAction(
  job: JobRecord,
  execution: JobExecutionRecord | undefined,
  targeted: boolean,
): ContinuousAction {
  if (job.status !== 'IN_PROGRESS' || !isContinuous(job)) return 'none';
  const own = execution?.jobIncarnation === job.incarnation ? execution : undefined;
  if (targeted) {
    if (!own) return 'create';
    return own.status === 'REMOVED' ? 'requeue' : 'none';
  }
  return own?.status === 'QUEUED' ? 'remove' : 'none';
}

/** The names of the groups a job targets. */
export const targetGroupsOf = (job: Pick<JobRecord, 'targets'>): string[] =>
  job.targets.filter(isThingGroupArn).map(groupNameOfArn);

/**
 * Whether the job targets a thing now: it names it, or the thing is in one of its target groups or in a group below
 * one. Built once per job, asked per thing.
 */
export function targetingOf(
  job: JobRecord,
): (thingName: string, groupPaths: readonly (readonly string[])[]) => boolean {
  const named = new Set(namedThingsOf(job));
  const targets = new Set(targetGroupsOf(job));
  return (thingName, groupPaths) =>
    named.has(thingName) || groupPaths.some((path) => path.some((group) => targets.has(group)));
}

export const isTargeted = (job: JobRecord, thingName: string, groupPaths: readonly (readonly string[])[]): boolean =>
  targetingOf(job)(thingName, groupPaths);

/**
 * A thing's new execution of a continuous job, queued now; one that comes back after REMOVED is the next execution
 * number.
 */
export function joinedExecution(
  job: JobRecord,
  thingName: string,
  now: number,
  previous: JobExecutionRecord | undefined,
): JobExecutionRecord {
  const own = previous?.jobIncarnation === job.incarnation ? previous : undefined;
  return {
    ...newExecution(job, thingName),
    queuedAt: now,
    lastUpdatedAt: now,
    executionNumber: (own?.executionNumber ?? 0) + 1,
    changedBy: GROUP_ACTOR,
  };
}

/** What the membership reactor reads and writes. */
export interface ContinuousJobsStore {
  /**
   * The continuous job incarnations listed as targeting the group (a listed one may be canceled or gone: the job says).
   */
  jobsTargeting(groupName: string): Promise<JobRef[]>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** A group's path, from the group itself (for a membership that does not carry it; just the group if it is gone). */
  groupPathOf(groupName: string): Promise<string[]>;
  /** The group path of each group the thing is in now (read strongly). */
  groupPathsOf(thingName: string): Promise<string[][]>;
  getExecution(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined>;
  /**
   * The execution written (new, or over this incarnation's REMOVED one) with
   * its entry in the job's list of targets, in one transaction that holds
   * only while the job is IN_PROGRESS at that incarnation, the thing is
   * registered, and the execution is as read. False if refused.
   */
  addExecution(
    job: JobRecord,
    execution: JobExecutionRecord,
    replacing: JobExecutionRecord | undefined,
  ): Promise<boolean>;
  /** QUEUED -> REMOVED, only while QUEUED and of that incarnation. */
  removeQueued(job: JobRef, thingName: string, now: number): Promise<boolean>;
}

export interface MembershipReaction {
  thingName: string;
  jobId: string;
  action: Exclude<ContinuousAction, 'none'>;
  applied: boolean;
}

/** What bringing one thing's execution of a continuous job in line reads and writes. */
export type ContinuousExecutions = Pick<ContinuousJobsStore, 'getExecution' | 'addExecution' | 'removeQueued'>;

/**
 * One thing's execution of a live continuous job brought in line with whether the job targets the thing now (see
 * continuousAction): the membership reactor's step for each job, and the fan-out's for a thing that has an execution
 * of the job already (one in a group AssociateTargetsWithJob added), so both follow one rule. Undefined: nothing to do.
 */
export async function reconcileExecution(
  store: ContinuousExecutions,
  job: JobRecord,
  thingName: string,
  targeted: boolean,
  clock: Clock,
): Promise<MembershipReaction | undefined> {
  const execution = await store.getExecution(thingName, job.jobId);
  const action = continuousAction(job, execution, targeted);
  if (action === 'none') return undefined;
  const now = clock();
  const applied =
    action === 'remove'
      ? await store.removeQueued(job, thingName, now)
      : await store.addExecution(
          job,
          joinedExecution(job, thingName, now, execution),
          action === 'requeue' ? execution : undefined,
        );
  return { thingName, jobId: job.jobId, action, applied };
}

/** Things reconciled at once. */
const THINGS_IN_FLIGHT = 8;

/**
 * One stream batch's membership changes: for each thing changed, every
 * continuous job listed under a group of the changed membership's path is
 * reconciled with the thing's memberships as they are now.
 */
export async function reactToMembershipChanges(
  store: ContinuousJobsStore,
  changes: readonly MembershipChange[],
  clock: Clock,
): Promise<MembershipReaction[]> {
  if (!changes.length) return [];
  // The groups each thing's changes touched: the candidates are the jobs listed under any of them.
  const groupsByThing = new Map<string, Set<string>>();
  for (const change of changes) {
    const groups = groupsByThing.get(change.thingName) ?? new Set<string>();
    for (const group of change.groupPath ?? (await store.groupPathOf(change.groupName))) groups.add(group);
    groupsByThing.set(change.thingName, groups);
  }
  const listed = new Map<string, Promise<JobRef[]>>();
  const jobsUnder = (group: string) => {
    if (!listed.has(group)) listed.set(group, store.jobsTargeting(group));
    return listed.get(group)!;
  };
  const jobs = new Map<string, Promise<JobRecord | undefined>>();
  const jobOf = (ref: JobRef) => {
    if (!jobs.has(ref.jobId)) jobs.set(ref.jobId, store.getJob(ref.jobId));
    return jobs.get(ref.jobId)!;
  };
  const reactions: MembershipReaction[] = [];
  await forEachLimited([...groupsByThing], THINGS_IN_FLIGHT, async ([thingName, groups]) => {
    const refs = (await Promise.all([...groups].map(jobsUnder))).flat();
    const candidates: JobRecord[] = [];
    for (const ref of refs) {
      const job = await jobOf(ref);
      if (job && job.incarnation === ref.incarnation && !candidates.some((c) => c.jobId === job.jobId))
        candidates.push(job);
    }
    const live = candidates.filter((job) => job.status === 'IN_PROGRESS' && isContinuous(job));
    if (!live.length) return;
    const paths = await store.groupPathsOf(thingName);
    for (const job of live) {
      const reaction = await reconcileExecution(store, job, thingName, isTargeted(job, thingName, paths), clock);
      if (reaction) reactions.push(reaction);
    }
  });
  return reactions;
}
