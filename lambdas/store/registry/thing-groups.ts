import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MarkOutcome, ThingGroupStore } from '../../jobs/fleet/store';
import { type GroupFilter, type GroupRef, groupPathOf, type ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { ServiceUnavailableException } from '../../jobs/shared/errors';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { backOff, TableAccess } from '../table/table-access';
import type { Item } from '../table/table-params';
import { GroupMemberships } from './group-memberships';
import {
  deleteMarkedGroupParams,
  fromGroupItem,
  groupListPageKey,
  groupListQuery,
  LIST,
  LIST_KEY,
  markDeletingParams,
  membersAsOfQuery,
  membershipsOfThingQuery,
  membersQuery,
  TABLE_KEY,
  toGroupItem,
} from './thing-group-items';
import { updateGroupParams } from './thing-group-update-items';

/** Tries of a single write to a group item that a membership's transaction held. */
const CONFLICT_ATTEMPTS = 8;
/**
 * Passes of DeleteThingGroup over a marked group's members before it gives up for now: a membership written just
 * before the mark may reach the index a moment later.
 */
const DELETION_PASSES = 4;

/**
 * Static thing groups on the one table: `GROUP#<name>` items, and `THING#<thing>` / `TREE#<root group>` memberships.
 */
export class DynamoThingGroupStore implements ThingGroupStore {
  private readonly access: TableAccess;
  private readonly memberships: GroupMemberships;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
    this.memberships = new GroupMemberships(this.access);
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
          ...groupListQuery({ parentGroup: name, recursive: false }, true),
          ProjectionExpression: 'pk',
        })
      ).length > 0
    );
  }

  async markDeleting(group: ThingGroupRecord, expectedVersion: number | undefined, now: number): Promise<MarkOutcome> {
    const outcome = await pastTransactions(() => this.access.update(markDeletingParams(group, expectedVersion, now)));
    return outcome.applied
      ? { applied: true, group: fromGroupItem(outcome.item) }
      : { applied: false, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
  }

  async updateGroup(
    group: ThingGroupRecord,
    properties: Pick<ThingGroupRecord, 'description' | 'attributes'>,
    seenVersion: number,
  ) {
    // A membership's transaction moves the group's count: a write meeting one goes again.
    const outcome = await pastTransactions(() => this.access.update(updateGroupParams(group, properties, seenVersion)));
    return outcome.applied
      ? { applied: true as const, group: fromGroupItem(outcome.item) }
      : { applied: false as const, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
  }

  async removeMarkedGroup(group: ThingGroupRecord): Promise<boolean> {
    for (let pass = 1; ; pass++) {
      await this.memberships.removeAll(group);
      const outcome = await pastTransactions(() => this.access.delete(deleteMarkedGroupParams(group)));
      // Refused with the group as it stands: none, or another made since (another DeleteThingGroup finished it), or
      // still counting members.
      if (outcome.applied || outcome.item?.thingGroupId !== group.thingGroupId) return true;
      if (pass === DELETION_PASSES) return false;
      await backOff(pass);
    }
  }

  addMember(group: ThingGroupRecord, thingName: string, now: number) {
    return this.memberships.add(group, thingName, now);
  }

  removeMember(group: ThingGroupRecord, thingName: string): Promise<boolean> {
    return this.memberships.remove(group, thingName);
  }

  /** Every member the index lists, out of the group (a step of removeMarkedGroup). */
  removeAllMembers(group: ThingGroupRecord): Promise<void> {
    return this.memberships.removeAll(group);
  }

  removeMemberships(thingName: string): Promise<void> {
    return this.memberships.removeAllOf(thingName);
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

  async missingGroups(groupNames: readonly string[]): Promise<string[]> {
    const found = await this.access.batchGet(groupNames.map(keys.thingGroup), {
      expression: 'thingGroupName, deletingSince',
    });
    // A group being deleted is as good as gone: no job takes on its members as they leave it.
    const live = new Set(found.filter((group) => group.deletingSince === undefined).map((g) => g.thingGroupName));
    return groupNames.filter((name) => !live.has(name));
  }

  async groupsBelow(groupNames: readonly string[]): Promise<Map<string, { below: string[]; rootGroupName: string }>> {
    // From one read of the groups' list rather than one per target group (groups being deleted left out).
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
}

/**
 * A single write to a group item that a membership's transaction holds is refused (TransactionConflictException, which
 * the SDK does not retry): it is tried again after a pause.
 */
async function pastTransactions<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TransactionConflictException')) throw error;
      if (attempt === CONFLICT_ATTEMPTS)
        throw new ServiceUnavailableException('The thing group kept meeting other writes; retry', { cause: error });
      await backOff(attempt);
    }
  }
}
