import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddMemberOutcome, ThingGroupStore } from '../../jobs/fleet/store';
import {
  type GroupFilter,
  type GroupRef,
  groupPathOf,
  rootOf,
  type ThingGroupRecord,
} from '../../jobs/fleet/thing-group';
import { forEachLimited } from '../../jobs/shared/concurrency';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { CONDITION, deleteAtVersion } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { backOff, TableAccess } from '../table/table-access';
import type { Item } from '../table/table-params';
import {
  addMemberParams,
  fromGroupItem,
  groupListPageKey,
  groupListQuery,
  LIST,
  LIST_KEY,
  membersAsOfQuery,
  membershipDelete,
  membershipsOfThingQuery,
  membersQuery,
  removeMemberParams,
  TABLE_KEY,
  toGroupItem,
} from './thing-group-items';

/** Tries of a membership write that met another write of the same items. */
const CONFLICT_ATTEMPTS = 8;

/**
 * Static thing groups on the one table: `GROUP#<name>` items, and `THING#<thing>` / `TREE#<root group>` memberships.
 */
export class DynamoThingGroupStore implements ThingGroupStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createGroup(group: ThingGroupRecord) {
    const outcome = await this.access.put({ Item: toGroupItem(group), ConditionExpression: CONDITION.absent });
    return outcome.applied
      ? { applied: true as const }
      : { applied: false as const, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
  }

  async getGroup(name: string): Promise<ThingGroupRecord | undefined> {
    const item = await this.access.get(keys.thingGroup(name));
    return item ? fromGroupItem(item) : undefined;
  }

  async listGroups(filter: GroupFilter, page: PageQuery): Promise<Page<ThingGroupRecord>> {
    const list = `groups/${filter.namePrefix ?? ''}/${filter.parentGroup ?? ''}/${String(filter.recursive)}`;
    const result = await this.access.queryPage(list, page, groupListQuery(filter), groupListPageKey);
    return { items: result.items.map(fromGroupItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async descendantsOf(name: string): Promise<ThingGroupRecord[]> {
    return (await this.access.queryAll(groupListQuery({ parentGroup: name, recursive: true }))).map(fromGroupItem);
  }

  async hasChildren(name: string): Promise<boolean> {
    return (
      (
        await this.access.queryAll({
          ...groupListQuery({ parentGroup: name, recursive: false }),
          ProjectionExpression: 'pk',
        })
      ).length > 0
    );
  }

  async deleteGroup(name: string, expectedVersion: number | undefined) {
    const outcome = await this.access.delete(deleteAtVersion(keys.thingGroup(name), expectedVersion));
    return outcome.applied
      ? { applied: true as const }
      : { applied: false as const, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
  }

  async addMember(group: ThingGroupRecord, thingName: string, now: number): Promise<AddMemberOutcome> {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(addMemberParams(group, thingName, now));
      if (outcome.applied) return { outcome: 'added' };
      const [groupCheck, slot, thing] = outcome.reasons;
      if (groupCheck === 'ConditionalCheckFailed') return { outcome: 'group-missing' };
      if (slot === 'ConditionalCheckFailed') {
        const held = await this.access.get(keys.membership(thingName, rootOf(group)));
        if (!held) continue;
        return held.thingGroupName === group.thingGroupName
          ? { outcome: 'already-member' }
          : { outcome: 'in-tree', otherGroup: held.thingGroupName as string };
      }
      if (thing === 'ConditionalCheckFailed')
        return { outcome: (await this.access.get(keys.thing(thingName))) ? 'too-many-groups' : 'thing-missing' };
      if (++conflicts === CONFLICT_ATTEMPTS)
        throw new Error(
          `Adding ${thingName} to ${group.thingGroupName} kept meeting other writes (${outcome.reasons.join(', ')})`,
        );
      await backOff(conflicts);
    }
  }

  async removeMember(group: ThingGroupRecord, thingName: string): Promise<boolean> {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(removeMemberParams(group, thingName));
      if (outcome.applied) return true;
      const [membership, thing] = outcome.reasons;
      if (membership === 'ConditionalCheckFailed') return false;
      if (thing === 'ConditionalCheckFailed') {
        // A membership its deleted thing left behind: it goes alone.
        const left = await this.access.delete(membershipDelete(group, thingName));
        return left.applied;
      }
      if (++conflicts === CONFLICT_ATTEMPTS)
        throw new Error(
          `Removing ${thingName} from ${group.thingGroupName} ` +
            `kept meeting other writes (${outcome.reasons.join(', ')})`,
        );
      await backOff(conflicts);
    }
  }

  async listMembers(groupNames: readonly string[], page: PageQuery): Promise<Page<string>> {
    const list = `members/${createHash('sha256').update(groupNames.join('\n')).digest('base64url').slice(0, 16)}`;
    const shape: PageKeyShape = {
      attributes: [...TABLE_KEY, LIST, LIST_KEY],
      fixed: (i) => ({ [LIST]: keys.membersOf(groupNames[i] ?? '') }),
      shardCount: groupNames.length,
    };
    const page_ = await this.access.queryAcross(
      list,
      page,
      shape,
      groupNames.map((name) => membersQuery(name)),
    );
    return {
      items: page_.items.map((item) => item.thingName as string),
      ...(page_.nextToken ? { nextToken: page_.nextToken } : {}),
    };
  }

  async groupsOfThing(thingName: string, page: PageQuery): Promise<Page<GroupRef>> {
    const result = await this.access.queryPage(`thing-groups/${thingName}`, page, membershipsOfThingQuery(thingName), {
      attributes: TABLE_KEY,
      fixed: () => ({ pk: keys.thing(thingName).pk }),
    });
    return {
      items: result.items.map((item) => ({
        groupName: item.thingGroupName as string,
        groupArn: item.thingGroupArn as string,
      })),
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
    };
  }

  missingGroups(groupNames: readonly string[]): Promise<string[]> {
    return this.access.missing(groupNames, keys.thingGroup, 'thingGroupName');
  }

  async groupsBelow(groupNames: readonly string[]): Promise<Map<string, { below: string[]; rootGroupName: string }>> {
    // From one read of the groups' list rather than one per target group.
    const all = await this.access.queryAll({
      ...groupListQuery({}),
      ProjectionExpression: 'thingGroupName, ancestorNames',
    });
    const ancestorsOf = (group: Item) => (group.ancestorNames as string[] | undefined) ?? [];
    return new Map(
      groupNames.map((name) => {
        const own = all.find((group) => group.thingGroupName === name);
        const below = all
          .filter((group) => ancestorsOf(group).includes(name))
          // Level by level, as a fan-out should reach them: the groups just below first.
          .sort((a, b) => ancestorsOf(a).length - ancestorsOf(b).length)
          .map((group) => group.thingGroupName as string);
        return [name, { below, rootGroupName: (own && ancestorsOf(own)[0]) ?? name }];
      }),
    );
  }

  /** A group's path, read from the group (just the group, if it is gone). */
  async pathOfGroup(groupName: string): Promise<string[]> {
    const group = await this.getGroup(groupName);
    return group ? groupPathOf(group) : [groupName];
  }

  /** The group path of a membership item: written on it, or (an item from before paths) read from its group. */
  private async pathOf(membership: Item): Promise<string[]> {
    return Array.isArray(membership.groupPath)
      ? (membership.groupPath as string[])
      : await this.pathOfGroup(membership.thingGroupName as string);
  }

  async groupPathsOf(thingName: string): Promise<string[][]> {
    const held = await this.access.queryAll(membershipsOfThingQuery(thingName));
    return Promise.all(held.map((item) => this.pathOf(item)));
  }

  async membershipPaths(
    thingNames: readonly string[],
    rootGroupNames: readonly string[],
  ): Promise<Map<string, string[][]>> {
    const paths = new Map<string, string[][]>(thingNames.map((name) => [name, []]));
    const wanted = thingNames.flatMap((thingName) => rootGroupNames.map((root) => keys.membership(thingName, root)));
    for (const item of await this.access.batchGet(wanted, { expression: 'thingName, thingGroupName, groupPath' })) {
      paths.get(item.thingName as string)?.push(await this.pathOf(item));
    }
    return paths;
  }

  async memberPage(groupName: string, asOf: number, limit: number, after?: Record<string, unknown>) {
    const page = await this.access.query({
      ...membersAsOfQuery(groupName, asOf),
      Limit: limit,
      ...(after ? { ExclusiveStartKey: after } : {}),
    });
    return {
      things: (page.Items ?? []).map((item) => item.thingName as string),
      ...(page.LastEvaluatedKey ? { after: page.LastEvaluatedKey } : {}),
    };
  }

  async removeAllMembers(group: ThingGroupRecord): Promise<void> {
    const members = await this.access.queryAll({
      ...membersQuery(group.thingGroupName),
      ProjectionExpression: 'thingName',
    });
    await forEachLimited(members, 10, (member) => this.removeMember(group, member.thingName as string));
  }

  async removeMemberships(thingName: string): Promise<void> {
    const held = await this.access.queryAll({ ...membershipsOfThingQuery(thingName), ProjectionExpression: 'pk, sk' });
    if (held.length)
      await this.access.batchWrite(
        held.map((item) => ({ DeleteRequest: { Key: { pk: item.pk as string, sk: item.sk as string } } })),
      );
  }
}
