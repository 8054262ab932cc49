import type { AddMemberOutcome } from '../../jobs/fleet/store';
import { rootOf, type ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { keys } from '../table/keys';
import { backOff, inChunks, type TableAccess } from '../table/table-access';
import {
  addMemberParams,
  leaveParams,
  type MembershipRef,
  membershipRefOf,
  membershipRefOfItem,
  membershipsOfThingQuery,
  membersQuery,
} from './thing-group-items';

/** Tries of a membership write that met another write of the same items. */
const CONFLICT_ATTEMPTS = 8;
/**
 * A group's members taken out per transaction by DeleteThingGroup: each a membership and its thing's count, with the
 * group's count once (51 of the 100 items a transaction takes).
 */
const MEMBERS_PER_TRANSACTION = 25;
const FAILED = 'ConditionalCheckFailed';

/**
 * The writes of memberships, each with the counts it moves in the same transaction: the thing's count of groups (the
 * 10-group limit) and the group's count of members (a group is deleted only once it is down to none).
 */
export class GroupMemberships {
  constructor(private readonly access: TableAccess) {}

  async add(group: ThingGroupRecord, thingName: string, now: number): Promise<AddMemberOutcome> {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(addMemberParams(group, thingName, now));
      if (outcome.applied) return { outcome: 'added' };
      const [groupCheck, slot, thing] = outcome.reasons;
      // Gone, made again, or being deleted: the same to the caller.
      if (groupCheck === FAILED) return { outcome: 'group-missing' };
      if (slot === FAILED) {
        const held = await this.access.get(keys.membership(thingName, rootOf(group)));
        if (!held) continue;
        return held.thingGroupName === group.thingGroupName
          ? { outcome: 'already-member' }
          : { outcome: 'in-tree', otherGroup: held.thingGroupName as string };
      }
      if (thing === FAILED)
        return { outcome: (await this.access.get(keys.thing(thingName))) ? 'too-many-groups' : 'thing-missing' };
      if (++conflicts === CONFLICT_ATTEMPTS)
        throw new Error(
          `Adding ${thingName} to ${group.thingGroupName} kept meeting other writes (${outcome.reasons.join(', ')})`,
        );
      await backOff(conflicts);
    }
  }

  remove(group: ThingGroupRecord, thingName: string): Promise<boolean> {
    return this.leave(membershipRefOf(group, thingName), !group.dynamic);
  }

  /**
   * Every member of the group that the index lists, out, 25 to a transaction, one transaction after another (each
   * moves the group's count). A transaction refused (a member left meanwhile, its thing was deleted, another write
   * met it) is done again member by member.
   */
  async removeAll(group: ThingGroupRecord): Promise<void> {
    const members = await this.access.queryAll({
      ...membersQuery(group.thingGroupName),
      ProjectionExpression: 'thingName',
    });
    for (const chunk of inChunks(members, MEMBERS_PER_TRANSACTION)) {
      const memberships = chunk.map((member) => membershipRefOf(group, member.thingName as string));
      // A dynamic group's memberships are not counted among the thing's groups (decisions.md, dynamic groups).
      const things = !group.dynamic;
      const outcome = await this.access.transactWrite(leaveParams(memberships, { things, groups: true }));
      if (!outcome.applied) for (const membership of memberships) await this.leave(membership, things);
    }
  }

  /**
   * DeleteThing's: every membership of the thing out, in one transaction with each group's count (the thing is
   * deleted already, so its own count is not), or one by one if that is refused.
   */
  async removeAllOf(thingName: string): Promise<void> {
    const held = await this.access.queryAll({
      ...membershipsOfThingQuery(thingName),
      ProjectionExpression: 'pk, sk, thingName, thingGroupName',
    });
    if (!held.length) return;
    const memberships = held.map(membershipRefOfItem);
    const outcome = await this.access.transactWrite(leaveParams(memberships, { things: false, groups: true }));
    if (!outcome.applied) for (const membership of memberships) await this.leave(membership, false);
  }

  /**
   * One membership out, with the thing's count of groups (if `withThing`) and the group's count of members; false if
   * it was not there (or is of another group now).
   */
  private async leave(membership: MembershipRef, withThing: boolean): Promise<boolean> {
    const counted = { things: withThing, groups: true };
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(leaveParams([membership], counted));
      if (outcome.applied) return true;
      const [left, ...counts] = outcome.reasons;
      const thing = counted.things ? counts.shift() : undefined;
      const group = counted.groups ? counts.shift() : undefined;
      if (left === FAILED) return false;
      // A membership its deleted thing left behind: it goes without the thing's count.
      if (thing === FAILED) counted.things = false;
      // One from before the counts, of a group deleted then: it goes without the group's.
      else if (group === FAILED) counted.groups = false;
      else {
        if (++conflicts === CONFLICT_ATTEMPTS)
          throw new Error(
            `Removing ${membership.thingName} from ${membership.thingGroupName} ` +
              `kept meeting other writes (${outcome.reasons.join(', ')})`,
          );
        await backOff(conflicts);
      }
    }
  }
}
