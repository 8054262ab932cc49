import { backOff } from '../../shared/concurrency';
import { InvalidRequestException, VersionConflictException } from '../../shared/errors';
import type { UpdateThingGroupInput } from '../inputs';
import type { ThingGroupStore } from '../store';
import { updatedAttributes } from '../thing';
import { isLive, type ThingGroupRecord } from '../thing-group';
import { groupNotFound } from './membership-refusals';

/** AWS's limit of attributes on a thing group. */
export const MAX_GROUP_ATTRIBUTES = 50;
/** Reads and writes of one UpdateThingGroup that meets other updates of the group before it gives up. */
const UPDATE_ATTEMPTS = 8;

export const groupVersionConflict = (group: ThingGroupRecord, expected: number) =>
  new VersionConflictException(`Thing group ${group.thingGroupName} is at version ${group.version}, not ${expected}`);

/**
 * UpdateThingGroup: the description given replaces the group's; the attributes given replace its own, or with merge
 * are laid over them, an empty value removing that one (as UpdateThing's). Each update is one more version; with
 * `expectedVersion`, only at that version. Read, worked out, and written on the condition of the version read:
 * another update between the two makes it read again (or, with an expected version, is a conflict).
 */
export async function updateThingGroup(
  groups: Pick<ThingGroupStore, 'getGroup' | 'updateGroup'>,
  input: UpdateThingGroupInput,
): Promise<{ version: number }> {
  for (let attempt = 1; ; attempt++) {
    const group = await groups.getGroup(input.thingGroupName);
    if (!group || !isLive(group)) throw groupNotFound(input.thingGroupName);
    if (input.expectedVersion !== undefined && input.expectedVersion !== group.version)
      throw groupVersionConflict(group, input.expectedVersion);
    const attributes = input.attributes
      ? updatedAttributes(group.attributes, input.attributes, input.merge)
      : group.attributes;
    if (Object.keys(attributes).length > MAX_GROUP_ATTRIBUTES)
      throw new InvalidRequestException(
        `thingGroupProperties.attributePayload.attributes: a thing group has at most ${MAX_GROUP_ATTRIBUTES} attributes`,
      );
    const description = input.description ?? group.description;
    const outcome = await groups.updateGroup(
      group,
      { attributes, ...(description !== undefined ? { description } : {}) },
      group.version,
    );
    if (outcome.applied) return { version: outcome.group.version };
    const current = outcome.current;
    if (!current || !isLive(current) || current.thingGroupId !== group.thingGroupId)
      throw groupNotFound(input.thingGroupName);
    if (input.expectedVersion !== undefined) throw groupVersionConflict(current, input.expectedVersion);
    if (attempt === UPDATE_ATTEMPTS)
      throw new VersionConflictException(
        `Thing group ${input.thingGroupName} kept changing while it was being updated; retry`,
      );
    await backOff(attempt);
  }
}
