import type { GroupFilter, GroupRef, ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { groupPathOf, MAX_GROUPS_PER_THING, rootOf } from '../../jobs/fleet/thing-group';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import type { DeleteParams, Item, QueryParams, TransactParams } from '../table/table-params';

/**
 * The items of static thing groups, and the request of each of their writes and reads, built without sending anything.
 */

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
export const TABLE_KEY = [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey];
export { LIST, LIST_KEY };

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
    KeyConditionExpression:
      `${LIST} = :list` + `${filter.namePrefix !== undefined ? ` AND begins_with(${LIST_KEY}, :prefix)` : ''}`,
    ExpressionAttributeValues: values,
    ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
  };
}

export const groupListPageKey: PageKeyShape = {
  attributes: [...TABLE_KEY, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.groupList }),
};

/** One membership: the thing in this group, in the one slot the thing has for the group's tree. */
export function membershipItem(group: ThingGroupRecord, thingName: string, now: number): Item {
  return {
    ...keys.membership(thingName, rootOf(group)),
    thingName,
    // A snapshot job's fan-out leaves out the things that joined after the job was created.
    addedAt: now,
    thingGroupName: group.thingGroupName,
    thingGroupArn: group.thingGroupArn,
    // The groups above it too (fixed at creation): a continuous job of any of them takes the thing on, even once the
    // group is deleted.
    groupPath: groupPathOf(group),
    [LIST]: keys.membersOf(group.thingGroupName),
    [LIST_KEY]: thingName,
  };
}

/**
 * AddThingToThingGroup in one transaction: the group is still this one, the
 * thing's slot for the tree is free, and the thing exists with room for one
 * more group.
 */
export function addMemberParams(group: ThingGroupRecord, thingName: string, now: number): TransactParams[] {
  return [
    {
      ConditionCheck: {
        Key: keys.thingGroup(group.thingGroupName),
        ConditionExpression: `${CONDITION.exists} AND thingGroupId = :groupId`,
        ExpressionAttributeValues: { ':groupId': group.thingGroupId },
      },
    },
    { Put: { Item: membershipItem(group, thingName, now), ConditionExpression: CONDITION.absent } },
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
export const membershipDelete = (group: ThingGroupRecord, thingName: string): DeleteParams => ({
  Key: keys.membership(thingName, rootOf(group)),
  ConditionExpression: 'thingGroupName = :group',
  ExpressionAttributeValues: { ':group': group.thingGroupName },
});

/** The thing out of the group: its membership (only of this group) gone, its count of groups one less. */
export function removeMemberParams(group: ThingGroupRecord, thingName: string): TransactParams[] {
  return [
    { Delete: membershipDelete(group, thingName) },
    {
      Update: {
        Key: keys.thing(thingName),
        UpdateExpression: 'ADD groupCount :less',
        ConditionExpression: CONDITION.exists,
        ExpressionAttributeValues: { ':less': -1 },
      },
    },
  ];
}

/** A thing's memberships, one per tree of groups, from its own partition (consistent). */
export const membershipsOfThingQuery = (thingName: string): QueryParams => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tree)',
  ExpressionAttributeValues: { ':pk': keys.thing(thingName).pk, ':tree': keys.membershipPrefix },
  ConsistentRead: true,
});

/** One group's members in the registry index, by thing name. */
export const membersQuery = (groupName: string): QueryParams => ({
  IndexName: INDEX,
  KeyConditionExpression: `${LIST} = :list`,
  ExpressionAttributeValues: { ':list': keys.membersOf(groupName) },
});

/** One group's members that joined it at or before `asOf` (a snapshot job's), by thing name; only their names. */
export const membersAsOfQuery = (groupName: string, asOf: number): QueryParams => ({
  ...membersQuery(groupName),
  ProjectionExpression: 'thingName',
  FilterExpression: 'attribute_not_exists(addedAt) OR addedAt <= :asOf',
  ExpressionAttributeValues: { ':list': keys.membersOf(groupName), ':asOf': asOf },
});
