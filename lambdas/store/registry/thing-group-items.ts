import type { GroupFilter, GroupRef, ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { groupPathOf, MAX_GROUPS_PER_THING, rootOf } from '../../jobs/fleet/thing-group';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import type { DeleteParams, Item, Key, QueryParams, TransactParams, UpdateParams } from '../table/table-params';

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
    ...(item.deletingSince !== undefined ? { deletingSince: item.deletingSince as number } : {}),
    ...(item.dynamic !== undefined ? { dynamic: item.dynamic as ThingGroupRecord['dynamic'] } : {}),
  };
}

/**
 * The group read, not another made since under its name, and not being deleted: what DeleteThingGroup's mark and
 * every write that adds a member check, so that no thing joins a group once its deletion has begun.
 */
export const LIVE_GROUP = `${CONDITION.exists} AND thingGroupId = :groupId AND attribute_not_exists(deletingSince)`;

/**
 * DeleteThingGroup's first write: the group marked being deleted, only while it is the group read (at the version
 * expected, if one is) and not marked already.
 */
export function markDeletingParams(
  group: ThingGroupRecord,
  expectedVersion: number | undefined,
  now: number,
): UpdateParams {
  return {
    Key: keys.thingGroup(group.thingGroupName),
    UpdateExpression: 'SET deletingSince = :now',
    ConditionExpression: `${LIVE_GROUP}${expectedVersion !== undefined ? ' AND version = :expectedVersion' : ''}`,
    ExpressionAttributeValues: {
      ':now': now,
      ':groupId': group.thingGroupId,
      ...(expectedVersion !== undefined ? { ':expectedVersion': expectedVersion } : {}),
    },
  };
}

/**
 * The marked group's item deleted, only once its count of members is down to none: a membership the index did not
 * list yet keeps it (and its name) until that member is out too. A group from before the counts has none (its
 * members were taken from the index alone).
 */
export const deleteMarkedGroupParams = (group: ThingGroupRecord): DeleteParams => ({
  Key: keys.thingGroup(group.thingGroupName),
  ConditionExpression:
    'thingGroupId = :groupId AND attribute_exists(deletingSince) AND ' +
    '(attribute_not_exists(memberCount) OR memberCount <= :none)',
  ExpressionAttributeValues: { ':groupId': group.thingGroupId, ':none': 0 },
});

/**
 * The groups' list in the registry index, by name, filtered by ancestry; groups being deleted left out unless
 * `withDeleting`.
 */
export function groupListQuery(filter: GroupFilter, withDeleting = false): QueryParams {
  const conditions: string[] = withDeleting ? [] : ['attribute_not_exists(deletingSince)'];
  const values: Record<string, unknown> = { ':list': keys.groupList };
  if (filter.namePrefix !== undefined) values[':prefix'] = filter.namePrefix;
  if (filter.parentGroup !== undefined) {
    values[':parent'] = filter.parentGroup;
    // Recursive unless told otherwise (AWS): the whole subtree, each group carrying the names above it.
    conditions.push(filter.recursive === false ? 'parentGroupName = :parent' : 'contains(ancestorNames, :parent)');
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
 * AddThingToThingGroup in one transaction: the group is still this one and not being deleted (its count of members
 * one more), the thing's slot for the tree is free, and the thing exists with room for one more group.
 */
export function addMemberParams(group: ThingGroupRecord, thingName: string, now: number): TransactParams[] {
  return [
    {
      Update: {
        Key: keys.thingGroup(group.thingGroupName),
        UpdateExpression: 'ADD memberCount :one',
        ConditionExpression: LIVE_GROUP,
        ExpressionAttributeValues: { ':groupId': group.thingGroupId, ':one': 1 },
      },
    },
    { Put: { Item: membershipItem(group, thingName, now), ConditionExpression: CONDITION.absent } },
    {
      Update: {
        Key: keys.thing(thingName),
        // The group's name kept on the thing beside its count: what a search answers without a read per thing.
        UpdateExpression: 'ADD groupCount :one, thingGroupNames :group',
        ConditionExpression: `${CONDITION.exists} AND (attribute_not_exists(groupCount) OR groupCount < :most)`,
        ExpressionAttributeValues: {
          ':one': 1,
          ':most': MAX_GROUPS_PER_THING,
          ':group': new Set([group.thingGroupName]),
        },
      },
    },
  ];
}

/** One membership as its removal needs it: its key, its thing, and the group it names. */
export interface MembershipRef {
  key: Key;
  thingName: string;
  thingGroupName: string;
}

/** The thing's membership of this group (its slot for the group's tree). */
export const membershipRefOf = (group: ThingGroupRecord, thingName: string): MembershipRef => ({
  key: keys.membership(thingName, rootOf(group)),
  thingName,
  thingGroupName: group.thingGroupName,
});

/** A membership as a query of the thing's partition read it (with pk, sk, thingName, thingGroupName). */
export const membershipRefOfItem = (item: Item): MembershipRef => ({
  key: { pk: item.pk as string, sk: item.sk as string },
  thingName: item.thingName as string,
  thingGroupName: item.thingGroupName as string,
});

/** The membership, only while it is of this group (and no other of its tree). */
export const membershipDelete = (membership: MembershipRef): DeleteParams => ({
  Key: membership.key,
  ConditionExpression: 'thingGroupName = :group',
  ExpressionAttributeValues: { ':group': membership.thingGroupName },
});

/**
 * Memberships out, in one transaction, and the counts with them: with `things`, each thing's count of groups one
 * less (not once the thing is deleted); with `groups`, each group's count of members (not for a membership whose
 * group is gone: one from before the counts). The items in that order: the memberships, the things, the groups (one
 * per group named).
 */
export function leaveParams(
  memberships: readonly MembershipRef[],
  counted: { things: boolean; groups: boolean },
): TransactParams[] {
  const leaving = new Map<string, number>();
  for (const m of memberships) leaving.set(m.thingGroupName, (leaving.get(m.thingGroupName) ?? 0) + 1);
  const less = (Key: Key, attribute: string, by: number): TransactParams => ({
    Update: {
      Key,
      UpdateExpression: `ADD ${attribute} :less`,
      ConditionExpression: CONDITION.exists,
      ExpressionAttributeValues: { ':less': -by },
    },
  });
  return [
    ...memberships.map((m) => ({ Delete: membershipDelete(m) })),
    ...(counted.things
      ? memberships.map(
          (m): TransactParams => ({
            Update: {
              Key: keys.thing(m.thingName),
              UpdateExpression: 'ADD groupCount :less DELETE thingGroupNames :group',
              ConditionExpression: CONDITION.exists,
              ExpressionAttributeValues: { ':less': -1, ':group': new Set([m.thingGroupName]) },
            },
          }),
        )
      : []),
    ...(counted.groups ? [...leaving].map(([name, by]) => less(keys.thingGroup(name), 'memberCount', by)) : []),
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
