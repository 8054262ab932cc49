import { dynamicGroupRefusal, wrongKindRefusal } from '../dynamic/dynamic-group';
import { type ArnContext, isInContext, thingGroupArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  InvalidRequestException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '../shared/errors';
import { groupNotFound, refusalOf, thingNotFound } from './group-changes/membership-refusals';
import { groupVersionConflict, updateThingGroup } from './group-changes/thing-group-update';
import { updateThingGroupsForThing } from './group-changes/thing-groups-for-thing';
import type {
  CreateThingGroupInput,
  DeleteThingGroupInput,
  ListThingGroupsForThingInput,
  ListThingGroupsInput,
  ListThingsInThingGroupInput,
  MembershipInput,
  ThingGroupNameInput,
  UpdateThingGroupInput,
  UpdateThingGroupsForThingInput,
} from './inputs';
import type { ThingGroupStore, ThingStore } from './store';
import { isLive, MAX_GROUP_DEPTH, newGroupRecord, refOf, sameGroup, type ThingGroupRecord } from './thing-group';
import { toThingGroupView } from './views';

/**
 * Static thing groups, with AWS IoT's rules: a tree of groups up to 7 deep,
 * a group's parent fixed at creation, a thing in at most 10 groups and in one
 * group of each tree only, a group with child groups kept until they go.
 * A group DeleteThingGroup has begun on is gone to every operation on the group
 * itself (see ThingGroupRecord.deletingSince); a thing may still leave it.
 */
export class ThingGroups {
  constructor(
    private readonly groups: ThingGroupStore,
    private readonly things: Pick<ThingStore, 'getThing'>,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async createThingGroup(input: CreateThingGroupInput) {
    const parent = input.parentGroupName === undefined ? undefined : await this.liveGroup(input.parentGroupName);
    if (input.parentGroupName !== undefined && !parent)
      throw new InvalidRequestException(`parentGroupName: thing group ${input.parentGroupName} does not exist`);
    if (parent?.dynamic) throw new InvalidRequestException('parentGroupName: a dynamic thing group is in no hierarchy');
    const ancestors = parent ? [...parent.ancestors, refOf(parent)] : [];
    if (ancestors.length + 1 > MAX_GROUP_DEPTH)
      throw new InvalidRequestException(`parentGroupName: a tree of thing groups is at most ${MAX_GROUP_DEPTH} deep`);
    const group = newGroupRecord(input, {
      thingGroupId: this.newId(),
      thingGroupArn: thingGroupArn(this.arns, input.thingGroupName),
      ancestors,
      createdAt: this.clock(),
    });
    const outcome = await this.groups.createGroup(group);
    if (outcome.applied) return identity(group);
    const existing = outcome.current;
    // Its members are still leaving: a group made under the name now would have them.
    if (existing && !isLive(existing))
      throw new ResourceAlreadyExistsException(
        `Thing group ${input.thingGroupName} is being deleted: create it once DeleteThingGroup has finished ` +
          '(DeleteThingGroup again finishes a deletion that stopped part-way)',
        existing.thingGroupId,
        existing.thingGroupArn,
      );
    // The same CreateThingGroup again answers as the first did; another under the same name is refused.
    if (existing && sameGroup(existing, group)) return identity(existing);
    throw new ResourceAlreadyExistsException(
      `Thing Group ${input.thingGroupName} already exists in current account with different properties`,
      existing?.thingGroupId ?? input.thingGroupName,
      existing?.thingGroupArn,
    );
  }

  async describeThingGroup(input: ThingGroupNameInput) {
    return toThingGroupView(await this.existing(input.thingGroupName));
  }

  async listThingGroups(input: ListThingGroupsInput) {
    if (input.parentGroup !== undefined && !(await this.liveGroup(input.parentGroup)))
      throw groupNotFound(input.parentGroup);
    const page = await this.groups.listGroups(
      {
        ...(input.namePrefix !== undefined ? { namePrefix: input.namePrefix } : {}),
        ...(input.parentGroup !== undefined ? { parentGroup: input.parentGroup } : {}),
        ...(input.recursive !== undefined ? { recursive: input.recursive } : {}),
      },
      input,
    );
    return { thingGroups: page.items.map(refOf), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * A group that does not exist is no error (AWS); one with child groups stays until they are deleted; its things leave
   * it. Marked first, so no thing joins it from then on; then its members go, then the group, only once none is left.
   * A deletion that stopped part-way (the group marked, some members left) is finished by the next DeleteThingGroup,
   * whatever version it expects: the group is gone to everyone already.
   */
  async deleteThingGroup(input: DeleteThingGroupInput): Promise<object> {
    let group = await this.groups.getGroup(input.thingGroupName);
    if (!group) return {};
    if (group.dynamic) throw wrongKindRefusal(group.thingGroupName, true, 'DeleteDynamicThingGroup');
    if (isLive(group)) {
      if (input.expectedVersion !== undefined && input.expectedVersion !== group.version)
        throw versionConflict(group, input.expectedVersion);
      if (await this.groups.hasChildren(group.thingGroupName)) {
        // AWS's words.
        throw new InvalidRequestException(
          `Cannot delete thing group : ${group.thingGroupName} when there are still child groups attached to it`,
        );
      }
      const marked = await this.groups.markDeleting(group, input.expectedVersion, this.clock());
      if (marked.applied) group = marked.group;
      // Refused: gone meanwhile (or made again since), marked first by another DeleteThingGroup (this one helps it
      // finish), or at another version than the one expected.
      else if (!marked.current || marked.current.thingGroupId !== group.thingGroupId) return {};
      else if (!isLive(marked.current)) group = marked.current;
      else throw versionConflict(marked.current, input.expectedVersion ?? group.version);
    }
    if (!(await this.groups.removeMarkedGroup(group)))
      throw new ServiceUnavailableException(
        `Thing group ${group.thingGroupName} still has members being removed; retry DeleteThingGroup to finish it`,
      );
    return {};
  }

  async addThingToThingGroup(input: MembershipInput): Promise<object> {
    this.refuseForeign(input);
    const group = await this.existing(input.thingGroupName);
    if (group.dynamic) throw dynamicGroupRefusal(group.thingGroupName);
    const refusal = refusalOf(
      await this.groups.addMember(group, input.thingName, this.clock()),
      input.thingName,
      group.thingGroupName,
    );
    if (refusal) throw refusal;
    return {};
  }

  updateThingGroup(input: UpdateThingGroupInput) {
    return updateThingGroup(this.groups, input);
  }

  updateThingGroupsForThing(input: UpdateThingGroupsForThingInput) {
    return updateThingGroupsForThing(this.groups, this.things, this.clock, input);
  }

  /** From a group being deleted too: a thing that still lists it may leave it. */
  async removeThingFromThingGroup(input: MembershipInput): Promise<object> {
    this.refuseForeign(input);
    const group = await this.groups.getGroup(input.thingGroupName);
    if (!group) throw groupNotFound(input.thingGroupName);
    if (group.dynamic) throw dynamicGroupRefusal(group.thingGroupName);
    if (!(await this.things.getThing(input.thingName))) throw thingNotFound(input.thingName);
    await this.groups.removeMember(group, input.thingName);
    return {};
  }

  /** With recursive, the things of the group's descendants too: one group of a tree per thing, so none comes twice. */
  async listThingsInThingGroup(input: ListThingsInThingGroupInput) {
    const group = await this.existing(input.thingGroupName);
    const groups = [
      group.thingGroupName,
      ...(input.recursive ? (await this.groups.descendantsOf(group.thingGroupName)).map((g) => g.thingGroupName) : []),
    ];
    const page = await this.groups.listMembers(groups, input);
    return { things: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async listThingGroupsForThing(input: ListThingGroupsForThingInput) {
    if (!(await this.things.getThing(input.thingName))) throw thingNotFound(input.thingName);
    const page = await this.groups.groupsOfThing(input.thingName, input);
    return { thingGroups: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /** An ARN of another account or region names nothing here. */
  private refuseForeign(input: MembershipInput): void {
    for (const arn of [input.thingGroupArn, input.thingArn]) {
      if (arn !== undefined && !isInContext(this.arns, arn))
        throw new ResourceNotFoundException(`${arn} is not of this account and region`);
    }
  }

  private async liveGroup(name: string): Promise<ThingGroupRecord | undefined> {
    const group = await this.groups.getGroup(name);
    return group && isLive(group) ? group : undefined;
  }

  private async existing(name: string): Promise<ThingGroupRecord> {
    const group = await this.liveGroup(name);
    if (!group) throw groupNotFound(name);
    return group;
  }
}

const identity = (group: ThingGroupRecord) => ({
  thingGroupName: group.thingGroupName,
  thingGroupArn: group.thingGroupArn,
  thingGroupId: group.thingGroupId,
});

const versionConflict = groupVersionConflict;
