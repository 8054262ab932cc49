import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddMemberOutcome, ThingGroupStore } from '../jobs/fleet/store';
import { MAX_GROUPS_PER_THING, rootOf, type GroupFilter, type GroupRef, type ThingGroupRecord } from '../jobs/fleet/thing-group';
import { forEachLimited } from '../jobs/shared/concurrency';
import type { Page, PageQuery } from '../jobs/shared/ports';
import { CONDITION } from './table/expressions';
import { keys } from './table/keys';
import type { PageKeyShape } from './table/page-token';
import { JOBS_TABLE } from './table/table-design';
import { backOff, TableAccess, type DeleteParams, type Item, type QueryParams, type TransactParams } from './table/table-access';

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
const TABLE_KEY = [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey];
/** Tries of a membership write that met another write of the same items. */
const CONFLICT_ATTEMPTS = 5;

export function toGroupItem(group: ThingGroupRecord): Item {
  const { attributes, ancestors, ...rest } = group;
  return {
    ...keys.thingGroup(group.thingGroupName),
    ...rest,
    // Empty maps and lists are left out (DynamoDB Streams readers trip over empty values).
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(ancestors.length ? { ancestors, ancestorNames: ancestors.map((a) => a.groupName) } : {}),
    rootGroupName: rootOf(group),
    [LIST]: keys.groupList,
    [LIST_KEY]: group.thingGroupName,
  };
}

export function fromGroupItem(item: Item): ThingGroupRecord {
  return {
    thingGroupName: item.thingGroupName as string,
    thingGroupId: item.thingGroupId as string,
    thingGroupArn: item.thingGroupArn as string,
    version: item.version as number,
    ...(item.description !== undefined ? { description: item.description as string } : {}),
    attributes: (item.attributes as Record<string, string> | undefined) ?? {},
    ...(item.parentGroupName !== undefined ? { parentGroupName: item.parentGroupName as string } : {}),
    ancestors: (item.ancestors as GroupRef[] | undefined) ?? [],
    createdAt: item.createdAt as number,
  };
}

/** The groups' list in the registry index, by name, filtered by ancestry. */
export function groupListQuery(filter: GroupFilter): QueryParams {
  const conditions: string[] = [];
  const values: Record<string, unknown> = { ':list': keys.groupList };
  if (filter.namePrefix !== undefined) values[':prefix'] = filter.namePrefix;
  if (filter.parentGroup !== undefined) {
    values[':parent'] = filter.parentGroup;
    conditions.push(filter.recursive ? 'contains(ancestorNames, :parent)' : 'parentGroupName = :parent');
  } else if (filter.recursive === false) {
    conditions.push('attribute_not_exists(parentGroupName)');
  }
  return {
    IndexName: INDEX,
    KeyConditionExpression: `${LIST} = :list${filter.namePrefix !== undefined ? ` AND begins_with(${LIST_KEY}, :prefix)` : ''}`,
    ExpressionAttributeValues: values,
    ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
  };
}

const groupListPageKey: PageKeyShape = { attributes: [...TABLE_KEY, LIST, LIST_KEY], fixed: () => ({ [LIST]: keys.groupList }) };

/** One membership: the thing in this group, in the one slot the thing has for the group's tree. */
export function membershipItem(group: ThingGroupRecord, thingName: string): Item {
  return {
    ...keys.membership(thingName, rootOf(group)),
    thingName,
    thingGroupName: group.thingGroupName,
    thingGroupArn: group.thingGroupArn,
    [LIST]: keys.membersOf(group.thingGroupName),
    [LIST_KEY]: thingName,
  };
}

/**
 * AddThingToThingGroup in one transaction: the group is still this one, the
 * thing's slot for the tree is free, and the thing exists with room for one
 * more group.
 */
export function addMemberParams(group: ThingGroupRecord, thingName: string): TransactParams[] {
  return [
    { ConditionCheck: { Key: keys.thingGroup(group.thingGroupName), ConditionExpression: `${CONDITION.exists} AND thingGroupId = :groupId`, ExpressionAttributeValues: { ':groupId': group.thingGroupId } } },
    { Put: { Item: membershipItem(group, thingName), ConditionExpression: CONDITION.absent } },
    {
      Update: {
        Key: keys.thing(thingName),
        UpdateExpression: 'ADD groupCount :one',
        ConditionExpression: `${CONDITION.exists} AND (attribute_not_exists(groupCount) OR groupCount < :most)`,
        ExpressionAttributeValues: { ':one': 1, ':most': MAX_GROUPS_PER_THING },
      },
    },
  ];
}

/** The membership of the thing in this group (and no other of its tree). */
const membershipDelete = (group: ThingGroupRecord, thingName: string): DeleteParams => ({
  Key: keys.membership(thingName, rootOf(group)),
  ConditionExpression: 'thingGroupName = :group',
  ExpressionAttributeValues: { ':group': group.thingGroupName },
});

/** The thing out of the group: its membership (only of this group) gone, its count of groups one less. */
export function removeMemberParams(group: ThingGroupRecord, thingName: string): TransactParams[] {
  return [
    { Delete: membershipDelete(group, thingName) },
    { Update: { Key: keys.thing(thingName), UpdateExpression: 'ADD groupCount :less', ConditionExpression: CONDITION.exists, ExpressionAttributeValues: { ':less': -1 } } },
  ];
}

/** Static thing groups on the one table: `GROUP#<name>` items, and `THING#<thing>` / `TREE#<root group>` memberships. */
export class DynamoThingGroupStore implements ThingGroupStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createGroup(group: ThingGroupRecord) {
    const outcome = await this.access.put({ Item: toGroupItem(group), ConditionExpression: CONDITION.absent });
    return outcome.applied ? { applied: true as const } : { applied: false as const, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
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
    return (await this.access.queryAll({ ...groupListQuery({ parentGroup: name, recursive: false }), ProjectionExpression: 'pk' })).length > 0;
  }

  async deleteGroup(name: string, expectedVersion: number | undefined) {
    const outcome = await this.access.delete({
      Key: keys.thingGroup(name),
      ...(expectedVersion !== undefined
        ? { ConditionExpression: `${CONDITION.exists} AND version = :expectedVersion`, ExpressionAttributeValues: { ':expectedVersion': expectedVersion } }
        : {}),
    });
    return outcome.applied ? { applied: true as const } : { applied: false as const, ...(outcome.item ? { current: fromGroupItem(outcome.item) } : {}) };
  }

  async addMember(group: ThingGroupRecord, thingName: string): Promise<AddMemberOutcome> {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(addMemberParams(group, thingName));
      if (outcome.applied) return { outcome: 'added' };
      const [groupCheck, slot, thing] = outcome.reasons;
      if (groupCheck === 'ConditionalCheckFailed') return { outcome: 'group-missing' };
      if (slot === 'ConditionalCheckFailed') {
        const held = await this.access.get(keys.membership(thingName, rootOf(group)));
        if (!held) continue;
        return held.thingGroupName === group.thingGroupName ? { outcome: 'already-member' } : { outcome: 'in-tree', otherGroup: held.thingGroupName as string };
      }
      if (thing === 'ConditionalCheckFailed') return { outcome: (await this.access.get(keys.thing(thingName))) ? 'too-many-groups' : 'thing-missing' };
      if (++conflicts === CONFLICT_ATTEMPTS) throw new Error(`Adding ${thingName} to ${group.thingGroupName} kept meeting other writes (${outcome.reasons.join(', ')})`);
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
      if (++conflicts === CONFLICT_ATTEMPTS) throw new Error(`Removing ${thingName} from ${group.thingGroupName} kept meeting other writes (${outcome.reasons.join(', ')})`);
      await backOff(conflicts);
    }
  }

  async listMembers(groupNames: readonly string[], page: PageQuery): Promise<Page<string>> {
    const list = `members/${createHash('sha256').update(groupNames.join('\n')).digest('base64url').slice(0, 16)}`;
    const shape: PageKeyShape = { attributes: [...TABLE_KEY, LIST, LIST_KEY], fixed: (i) => ({ [LIST]: keys.membersOf(groupNames[i] ?? '') }), shardCount: groupNames.length };
    const page_ = await this.access.queryAcross(list, page, shape, groupNames.map((name) => membersQuery(name)));
    return { items: page_.items.map((item) => item.thingName as string), ...(page_.nextToken ? { nextToken: page_.nextToken } : {}) };
  }

  async groupsOfThing(thingName: string, page: PageQuery): Promise<Page<GroupRef>> {
    const result = await this.access.queryPage(
      `thing-groups/${thingName}`,
      page,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tree)',
        ExpressionAttributeValues: { ':pk': keys.thing(thingName).pk, ':tree': keys.membershipPrefix },
        ConsistentRead: true,
      },
      { attributes: TABLE_KEY, fixed: () => ({ pk: keys.thing(thingName).pk }) },
    );
    return {
      items: result.items.map((item) => ({ groupName: item.thingGroupName as string, groupArn: item.thingGroupArn as string })),
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
    };
  }

  async removeAllMembers(group: ThingGroupRecord): Promise<void> {
    const members = await this.access.queryAll({ ...membersQuery(group.thingGroupName), ProjectionExpression: 'thingName' });
    await forEachLimited(members, 10, (member) => this.removeMember(group, member.thingName as string));
  }

  async removeMemberships(thingName: string): Promise<void> {
    const held = await this.access.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tree)',
      ExpressionAttributeValues: { ':pk': keys.thing(thingName).pk, ':tree': keys.membershipPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    if (held.length) await this.access.batchWrite(held.map((item) => ({ DeleteRequest: { Key: { pk: item.pk as string, sk: item.sk as string } } })));
  }
}

const membersQuery = (groupName: string): QueryParams => ({
  IndexName: INDEX,
  KeyConditionExpression: `${LIST} = :list`,
  ExpressionAttributeValues: { ':list': keys.membersOf(groupName) },
});
