import { isInContext, type ArnContext } from '../shared/arns';
import { InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { GroupDirectory, ThingDirectory } from './store';
import { MAX_TARGET_THINGS, type CreateJobInput } from '../management/job';

/** Which things a job may target: registered ones (AWS), or with implicitThings any thing name, registered or not; and the members of thing groups. */
export interface TargetRules {
  things: ThingDirectory;
  groups: GroupDirectory;
  implicitThings: boolean;
}

/**
 * Checks a CreateJob's targets as AWS does, before anything is written, and
 * finds the things its group targets stand for: the things a snapshot job's
 * executions are for (undefined when it names things only).
 */
export async function resolveTargets(input: CreateJobInput, rules: TargetRules, arnContext: ArnContext): Promise<string[] | undefined> {
  // AWS serves only things of the caller's account and region; a job for any other could never complete.
  const foreign = input.targets.find((arn) => !isInContext(arnContext, arn));
  if (foreign) {
    throw new ResourceNotFoundException(`Target ${foreign} is not of this account and region (${arnContext.account}, ${arnContext.region}); nothing was created`);
  }
  if (!rules.implicitThings) {
    // AWS refuses a target thing that is not in the registry, and creates nothing.
    const missing = await rules.things.missingThings(input.thingNames);
    if (missing.length) {
      const others = missing.length > 1 ? ` (and ${missing.length - 1} other target${missing.length > 2 ? 's' : ''})` : '';
      throw new ResourceNotFoundException(`Thing ${missing[0]}${others} is not registered: create it with CreateThing first; nothing was created`);
    }
  }
  if (!input.groupNames.length) return undefined;
  const missing = await rules.groups.missingGroups(input.groupNames);
  if (missing.length) throw new ResourceNotFoundException(`Thing group ${missing[0]} does not exist; nothing was created`);
  const members = await rules.groups.thingsInGroups(input.groupNames, MAX_TARGET_THINGS);
  const things = [...new Set([...input.thingNames, ...members])];
  if (things.length > MAX_TARGET_THINGS) {
    throw new InvalidRequestException(`targets: they come to more than ${MAX_TARGET_THINGS} things; a job targets at most ${MAX_TARGET_THINGS} until the asynchronous fan-out`);
  }
  return things;
}
