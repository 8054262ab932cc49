import { dynamicGroupRefusal } from '../../dynamic/dynamic-group';
import type { Clock } from '../../shared/clock';
import { InvalidRequestException } from '../../shared/errors';
import type { UpdateThingGroupsForThingInput } from '../inputs';
import type { ThingGroupStore, ThingStore } from '../store';
import { isLive, MAX_GROUPS_PER_THING, rootOf, type ThingGroupRecord } from '../thing-group';
import { groupNotFound, inSameTree, refusalOf, thingNotFound } from './membership-refusals';

/**
 * UpdateThingGroupsForThing: the thing leaves the groups to remove, then joins the groups to add, each by the same
 * write as RemoveThingFromThingGroup and AddThingToThingGroup (so a group being deleted takes no member, a thing stays
 * in one group of a tree and in ten groups at most, whoever else writes meanwhile).
 *
 * It is not one transaction (AWS promises none either). Everything that can be checked first is checked first (the
 * thing and every group exist, the groups to add are of different trees, none of a tree the thing stays in through
 * another group, ten groups at most once done), so a refusal changes nothing. Only a write that another request
 * overtook between the check and the write (the group deleted, the thing deleted or added to another group meanwhile)
 * stops the call part-way: what it changed before stays, the error says what was refused, and the same call sent
 * again finishes it (leaving a group the thing is not in, and joining one it is in already, are no error).
 */
export async function updateThingGroupsForThing(
  groups: Pick<ThingGroupStore, 'getGroup' | 'groupPathsOf' | 'addMember' | 'removeMember'>,
  things: Pick<ThingStore, 'getThing'>,
  clock: Clock,
  input: UpdateThingGroupsForThingInput,
): Promise<object> {
  const toAdd = [...new Set(input.thingGroupsToAdd)];
  const toRemove = [...new Set(input.thingGroupsToRemove)];
  const both = toAdd.find((name) => toRemove.includes(name));
  if (both !== undefined)
    throw new InvalidRequestException(
      `thingGroupsToAdd and thingGroupsToRemove: both name thing group ${both}; name it in one of them`,
    );
  const [thing, adding, removing, paths] = await Promise.all([
    things.getThing(input.thingName),
    Promise.all(toAdd.map((name) => groups.getGroup(name))),
    Promise.all(toRemove.map((name) => groups.getGroup(name))),
    groups.groupPathsOf(input.thingName),
  ]);
  if (!thing) throw thingNotFound(input.thingName);
  // A group being deleted is gone to a thing joining it; a thing may still leave one.
  const added = adding.map((group, i) => {
    if (!group || !isLive(group)) throw groupNotFound(toAdd[i]!);
    if (group.dynamic) throw dynamicGroupRefusal(group.thingGroupName);
    return group;
  });
  const removed = removing.map((group, i) => {
    if (!group) throw groupNotFound(toRemove[i]!);
    if (group.dynamic) throw dynamicGroupRefusal(group.thingGroupName);
    return group;
  });
  checkOutcome(input.thingName, paths, added, removed);

  for (const group of removed) await groups.removeMember(group, input.thingName);
  const now = clock();
  for (const group of added) {
    const refusal = refusalOf(
      await groups.addMember(group, input.thingName, now),
      input.thingName,
      group.thingGroupName,
    );
    if (refusal) throw refusal;
  }
  return {};
}

/**
 * The thing's groups once the call is done, from its memberships as read: refused if it would be in two groups of one
 * tree, or in more than ten groups.
 */
function checkOutcome(
  thingName: string,
  paths: readonly string[][],
  added: readonly ThingGroupRecord[],
  removed: readonly ThingGroupRecord[],
): void {
  const leaving = new Set(removed.map((group) => group.thingGroupName));
  // Root of each tree -> the group of it the thing is in, once the removals are done.
  const held = new Map<string, string>();
  for (const path of paths) {
    const group = path[path.length - 1]!;
    if (!leaving.has(group)) held.set(path[0]!, group);
  }
  const joining = new Map<string, string>();
  for (const group of added) {
    const root = rootOf(group);
    const other = held.get(root);
    if (other !== undefined && other !== group.thingGroupName) throw inSameTree(thingName, other, group.thingGroupName);
    const alongside = joining.get(root);
    if (alongside !== undefined)
      throw new InvalidRequestException(
        `thingGroupsToAdd: ${alongside} and ${group.thingGroupName} are of the same tree: ` +
          'a thing may be in one group of a tree only',
      );
    joining.set(root, group.thingGroupName);
  }
  for (const [root, group] of joining) held.set(root, group);
  if (held.size > MAX_GROUPS_PER_THING)
    throw new InvalidRequestException(
      `Thing ${thingName} would be in ${held.size} thing groups: a thing may be in ${MAX_GROUPS_PER_THING} at most`,
    );
}
