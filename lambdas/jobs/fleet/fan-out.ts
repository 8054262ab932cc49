import { isContinuous, type JobRecord } from '../management/job';
import { initialRollout } from '../rollout/release-rate';
import { startOf } from '../rollout/schedule';
import { groupNameOfArn, isThingGroupArn, thingNameOfArn } from '../shared/arns';
import type { FanOutCursor, FanOutSource, JobWorkRecord } from '../work/job-work-record';
import type { FanOutRegistry } from '../work/job-work-store';

/** A new job's work: its fan-out from the first source, nothing taken yet. */
export function newJobWork(job: JobRecord, sources: FanOutSource[], requireRegistered: boolean): JobWorkRecord {
  return {
    jobId: job.jobId,
    incarnation: job.incarnation,
    sources,
    requireRegistered,
    ...(isContinuous(job) ? { continuous: true } : {}),
    snapshotAt: job.createdAt,
    cursor: { source: 0, position: 0 },
    pages: 0,
    confirmed: 0,
    targetCount: 0,
    fanOutDone: false,
    ...(job.jobExecutionsRolloutConfig ? { rollout: initialRollout(job.jobExecutionsRolloutConfig) } : {}),
    // A scheduled job's work waits, parked, for its start.
    ...(startOf(job.schedulingConfig) !== undefined ? { releaseAt: startOf(job.schedulingConfig)! } : {}),
  };
}

/** The things a fan-out reads next, and where it stands after them. */
export interface FanOutWindow {
  things: string[];
  /**
   * A continuous job's things met again, on an earlier page already (in a group AssociateTargetsWithJob added, say):
   * they get no second execution, but one REMOVED is queued again.
   */
  again: string[];
  cursor: FanOutCursor;
}

/** The things a window moves the fan-out past. */
export const windowSize = (window: FanOutWindow): number => window.things.length + window.again.length;

/** The things a job names itself (not through groups), in the order given. */
export const namedThingsOf = (job: JobRecord): string[] =>
  job.targetThings ?? job.targets.filter((arn) => !isThingGroupArn(arn)).map(thingNameOfArn);

/** Every source read to its end. */
export const isExhausted = (work: JobWorkRecord): boolean => !work.sources || work.cursor.source >= work.sources.length;

/**
 * The sources of a job's fan-out: its named things first, then for each
 * target group its own member list and those of the groups below it (a
 * thing is in one group per tree, so these lists overlap only across trees).
 */
export function fanOutSources(targetGroups: TargetGroup[]): FanOutSource[] {
  return [{ kind: 'things' }, ...groupSources(targetGroups, new Set())];
}

/** A target group as the fan-out reads it: the groups below it, and the root of its tree. */
export interface TargetGroup {
  targetArn: string;
  groupName: string;
  below: string[];
  rootGroupName?: string;
}

/** The member lists of these target groups and the groups below them, leaving out the groups `listed` already. */
export function groupSources(targetGroups: TargetGroup[], listed: Set<string>): FanOutSource[] {
  const sources: FanOutSource[] = [];
  for (const target of targetGroups) {
    for (const groupName of [target.groupName, ...target.below]) {
      if (listed.has(groupName)) continue;
      listed.add(groupName);
      sources.push({
        kind: 'group',
        targetArn: target.targetArn,
        groupName,
        ...(target.rootGroupName ? { rootGroupName: target.rootGroupName } : {}),
      });
    }
  }
  return sources;
}

/** The groups a job's work lists under its target groups (for a continuous job: where joiners find it). */
export const targetGroupNamesOf = (work: JobWorkRecord): string[] => [
  ...new Set(
    (work.sources ?? []).flatMap((source) => (source.kind === 'group' ? [groupNameOfArn(source.targetArn)] : [])),
  ),
];

/** The trees of a job's target groups, by root (a thing is in one group of each tree at most). */
export const targetRootsOf = (work: JobWorkRecord): string[] => [
  ...new Set(
    (work.sources ?? []).flatMap((source) =>
      source.kind === 'group' ? [source.rootGroupName ?? source.groupName] : [],
    ),
  ),
];

/**
 * Up to `limit` things not yet taken, read from the cursor on: a job's named
 * things, then each member list page by page. Things met before (on an
 * earlier page, or twice in this window) are skipped, so a thing in two
 * target groups gets one execution; a continuous job's things met on an
 * earlier page are told apart (`again`) and count towards the limit.
 */
export async function nextWindow(
  work: JobWorkRecord,
  job: JobRecord,
  seen: ReadonlySet<string>,
  limit: number,
  registry: FanOutRegistry,
): Promise<FanOutWindow> {
  const sources = work.sources ?? [];
  const cursor: FanOutCursor = { ...work.cursor };
  const things: string[] = [];
  const again: string[] = [];
  const taken = new Set<string>();
  const take = (thing: string) => {
    if (taken.has(thing)) return;
    taken.add(thing);
    if (!seen.has(thing)) things.push(thing);
    else if (work.continuous) again.push(thing);
  };
  const size = () => things.length + again.length;
  const nextSource = () => {
    cursor.source++;
    cursor.position = 0;
    delete cursor.after;
  };
  while (size() < limit && cursor.source < sources.length) {
    const source = sources[cursor.source]!;
    if (source.kind === 'things') {
      const named = namedThingsOf(job);
      while (cursor.position < named.length && size() < limit) take(named[cursor.position++]!);
      if (cursor.position >= named.length) nextSource();
      continue;
    }
    // A continuous job takes every member there is; a snapshot job those that had joined when it was created.
    const page = await registry.memberPage(
      source.groupName,
      work.continuous ? Number.MAX_SAFE_INTEGER : work.snapshotAt,
      limit - size(),
      cursor.after,
    );
    page.things.forEach(take);
    if (page.after) cursor.after = page.after;
    else nextSource();
  }
  return { things, again, cursor };
}

/**
 * Those of `things` whose execution may stand only while they are registered: group members, and named things unless
 * the job allows implicit ones.
 */
export function mustBeRegistered(work: JobWorkRecord, job: JobRecord, things: readonly string[]): string[] {
  if (work.requireRegistered) return [...things];
  if (!work.sources?.some((source) => source.kind === 'group')) return [];
  const named = new Set(namedThingsOf(job));
  return things.filter((thing) => !named.has(thing));
}

/** DescribeJob's processingTargets: the targets the fan-out has not finished with (absent once it is done). */
export function processingTargets(job: JobRecord, work: JobWorkRecord | undefined): string[] | undefined {
  if (job.executionsCreated) return undefined;
  if (!work?.sources) return job.targets;
  const sources = work.sources;
  const from = Math.min(work.cursor.source, sources.length - 1);
  const targets: string[] = [];
  for (let i = from; i < sources.length; i++) {
    const source = sources[i]!;
    if (source.kind === 'group') targets.push(source.targetArn);
    else
      targets.push(
        ...job.targets
          .filter((arn) => !isThingGroupArn(arn))
          .slice(i === work.cursor.source ? work.cursor.position : 0),
      );
  }
  const unique = [...new Set(targets)];
  return unique.length ? unique : job.targets;
}
