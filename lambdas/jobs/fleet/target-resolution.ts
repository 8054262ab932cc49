import type { CreateJobInput } from '../management/job';
import { type ArnContext, isInContext, thingGroupArn } from '../shared/arns';
import { ResourceNotFoundException } from '../shared/errors';
import type { FanOutSource } from '../work/job-work-record';
import { fanOutSources, type TargetGroup } from './fan-out';
import type { GroupDirectory, ThingDirectory } from './store';

/**
 * Which things a job may target: registered ones (AWS), or with implicitThings any thing name, registered or not; and
 * the members of thing groups.
 */
export interface TargetRules {
  things: ThingDirectory;
  groups: GroupDirectory;
  implicitThings: boolean;
}

/**
 * Checks a CreateJob's targets as AWS does, before anything is written, and
 * plans its fan-out: where its things are read from. Group members are read
 * by the fan-out, not here: a group may hold any number of things.
 */
export async function resolveTargets(
  input: CreateJobInput,
  rules: TargetRules,
  arnContext: ArnContext,
): Promise<FanOutSource[]> {
  // A job for things of another account or region could never complete.
  refuseForeignTargets(input.targets, arnContext, 'nothing was created');
  if (!rules.implicitThings) {
    // AWS refuses a target thing that is not in the registry, and creates nothing.
    const missing = await rules.things.missingThings(input.thingNames);
    if (missing.length) {
      const others =
        missing.length > 1 ? ` (and ${missing.length - 1} other target${missing.length > 2 ? 's' : ''})` : '';
      throw new ResourceNotFoundException(
        `Thing ${missing[0]}${others} is not registered: create it with CreateThing first; nothing was created`,
      );
    }
  }
  if (!input.groupNames.length) return fanOutSources([]);
  return fanOutSources(await targetGroups(input.groupNames, rules, arnContext, 'nothing was created'));
}

/**
 * Thing group targets, checked to exist, with the groups below them: refused (ResourceNotFoundException) if one does
 * not.
 */
export async function targetGroups(
  groupNames: readonly string[],
  rules: Pick<TargetRules, 'groups'>,
  arnContext: ArnContext,
  outcome: string,
): Promise<TargetGroup[]> {
  const missing = await rules.groups.missingGroups(groupNames);
  if (missing.length) throw new ResourceNotFoundException(`Thing group ${missing[0]} does not exist; ${outcome}`);
  const trees = await rules.groups.groupsBelow(groupNames);
  // Every target is of this deployment (checked before), so its ARN is the one the context names.
  return groupNames.map((groupName) => ({
    targetArn: thingGroupArn(arnContext, groupName),
    groupName,
    ...trees.get(groupName)!,
  }));
}

/** An ARN of another account or region: AWS serves only things of the caller's. */
export function refuseForeignTargets(targets: readonly string[], arnContext: ArnContext, outcome: string): void {
  const foreign = targets.find((arn) => !isInContext(arnContext, arn));
  if (foreign)
    throw new ResourceNotFoundException(
      `Target ${foreign} is not of this account and region (${arnContext.account}, ${arnContext.region}); ${outcome}`,
    );
}
