import { InvalidRequestException, ResourceNotFoundException } from '../../shared/errors';
import type { AddMemberOutcome } from '../store';
import { MAX_GROUPS_PER_THING } from '../thing-group';

/** The errors of the registry's membership writes, as AddThingToThingGroup and UpdateThingGroupsForThing give them. */

export const groupNotFound = (name: string) => new ResourceNotFoundException(`Thing group ${name} does not exist`);
export const thingNotFound = (name: string) => new ResourceNotFoundException(`Thing ${name} does not exist`);

export const tooManyGroups = (thingName: string) =>
  new InvalidRequestException(
    `Thing ${thingName} is in ${MAX_GROUPS_PER_THING} thing groups already, the most a thing may be in`,
  );

export const inSameTree = (thingName: string, otherGroup: string, groupName: string) =>
  new InvalidRequestException(
    `Thing ${thingName} is in thing group ${otherGroup}, of the same tree as ${groupName}: ` +
      'a thing may be in one group of a tree only',
  );

/** Nothing if the thing is in the group now (it was added, or was in it already); the refusal otherwise. */
export function refusalOf(added: AddMemberOutcome, thingName: string, groupName: string): Error | undefined {
  switch (added.outcome) {
    case 'added':
    case 'already-member':
      return undefined;
    case 'thing-missing':
      return thingNotFound(thingName);
    case 'group-missing':
      return groupNotFound(groupName);
    case 'too-many-groups':
      return tooManyGroups(thingName);
    case 'in-tree':
      return inSameTree(thingName, added.otherGroup, groupName);
  }
}
