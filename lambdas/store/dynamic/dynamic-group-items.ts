import type { DynamicGroupListing, DynamicQuery } from '../../jobs/dynamic/dynamic-group';
import type { VersionedThing } from '../../jobs/dynamic/store';
import type { ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { LIVE_GROUP, markDeletingParams, toGroupItem } from '../registry/thing-group-items';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import { JOBS_TABLE } from '../table/table-design';
import type { Item, QueryParams, TransactParams, UpdateParams } from '../table/table-params';

/** The items of dynamic thing groups beside their group items, and each write's request, built without sending. */

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
type DynamicGroup = ThingGroupRecord & { dynamic: DynamicQuery };

const listingItem = (group: DynamicGroup): Item => ({
  ...keys.dynamicGroupListing(group.thingGroupName),
  thingGroupName: group.thingGroupName,
  thingGroupId: group.thingGroupId,
  thingGroupArn: group.thingGroupArn,
  queryString: group.dynamic.queryString,
  buildId: group.dynamic.buildId,
});

export const fromListingItem = (item: Item): DynamicGroupListing => ({
  thingGroupName: item.thingGroupName as string,
  thingGroupId: item.thingGroupId as string,
  thingGroupArn: item.thingGroupArn as string,
  queryString: item.queryString as string,
  buildId: item.buildId as string,
});

/**
 * CreateDynamicThingGroup in one transaction: the group (no group of its name, static or dynamic), its listing, the
 * count of dynamic groups one more, only while under the quota (two creations racing for the last place cannot both
 * pass), and the things index on: an UpdateIndexingConfiguration turning it off, which needs the count at zero
 * (registry/indexing-configuration.ts), cannot pass between the service's check and this write.
 */
export const createParams = (group: DynamicGroup, most: number): TransactParams[] => [
  { Put: { Item: toGroupItem(group), ConditionExpression: CONDITION.absent } },
  { Put: { Item: listingItem(group), ConditionExpression: CONDITION.absent } },
  {
    Update: {
      Key: keys.dynamicGroupCount,
      UpdateExpression: 'ADD dynamicGroups :one',
      ConditionExpression: 'attribute_not_exists(dynamicGroups) OR dynamicGroups < :most',
      ExpressionAttributeValues: { ':one': 1, ':most': most },
    },
  },
  {
    ConditionCheck: {
      Key: keys.indexingConfiguration,
      ConditionExpression: 'attribute_exists(#things.thingIndexingMode) AND #things.thingIndexingMode <> :off',
      ExpressionAttributeNames: { '#things': 'thingIndexingConfiguration' },
      ExpressionAttributeValues: { ':off': 'OFF' },
    },
  },
];

/** UpdateDynamicThingGroup: the group at the version read, live, and its listing with its (maybe new) query. */
export function updateParams(group: DynamicGroup, seenVersion: number): TransactParams[] {
  const values: Record<string, unknown> = {
    ':version': group.version,
    ':dynamic': group.dynamic,
    ':groupId': group.thingGroupId,
    ':seen': seenVersion,
  };
  const set = ['version = :version', '#dynamic = :dynamic'];
  const remove: string[] = [];
  if (group.description !== undefined) {
    set.push('description = :description');
    values[':description'] = group.description;
  }
  // Empty maps are left out, as at creation.
  if (Object.keys(group.attributes).length) {
    set.push('attributes = :attributes');
    values[':attributes'] = group.attributes;
  } else remove.push('attributes');
  return [
    {
      Update: {
        Key: keys.thingGroup(group.thingGroupName),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: `${LIVE_GROUP} AND version = :seen`,
        ExpressionAttributeNames: DYNAMIC_NAME,
        ExpressionAttributeValues: values,
      },
    },
    { Put: { Item: listingItem(group) } },
  ];
}

/** DeleteDynamicThingGroup's mark, with its listing out (no upkeep from then on) and the count one less. */
export const markDeletingTransaction = (
  group: ThingGroupRecord,
  expectedVersion: number | undefined,
  now: number,
): TransactParams[] => [
  { Update: markDeletingParams(group, expectedVersion, now) },
  { Delete: { Key: keys.dynamicGroupListing(group.thingGroupName) } },
  {
    Update: {
      Key: keys.dynamicGroupCount,
      UpdateExpression: 'ADD dynamicGroups :less',
      ExpressionAttributeValues: { ':less': -1 },
    },
  },
];

/** Every listing, consistently: one partition of a hundred small items at most. */
export const listingsQuery: QueryParams = {
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :group)',
  ExpressionAttributeValues: { ':pk': keys.dynamicGroupCount.pk, ':group': 'GROUP#' },
  ConsistentRead: true,
};

/**
 * The group is this one, live, and its build is still `buildId`: what every membership write and build step checks,
 * so that a build (or an upkeep that read the listings) overtaken by a new query or a deletion writes nothing.
 */
const THIS_BUILD = `${LIVE_GROUP} AND #dynamic.buildId = :build`;
/** `dynamic` is one of DynamoDB's reserved words. */
const DYNAMIC_NAME = { '#dynamic': 'dynamic' };
/** The thing still at the version the decision was made on. */
const thingAt = (thing: Pick<VersionedThing, 'thingName' | 'version'>): TransactParams => ({
  ConditionCheck: {
    Key: keys.thing(thing.thingName),
    ConditionExpression: `${CONDITION.exists} AND version = :version`,
    ExpressionAttributeValues: { ':version': thing.version },
  },
});

/**
 * A dynamic membership, in or out, in one transaction: the group's count of members (with THIS_BUILD), the
 * membership (put only where none is, deleted only while it is this group's), the thing at the version read. It
 * leaves the thing's own count of groups alone. In that order: group, membership, thing.
 */
export function membershipParams(
  listing: DynamicGroupListing,
  thing: Pick<VersionedThing, 'thingName' | 'version'>,
  member: boolean,
  now: number,
): TransactParams[] {
  const key = keys.membership(thing.thingName, listing.thingGroupName);
  return [
    {
      Update: {
        Key: keys.thingGroup(listing.thingGroupName),
        UpdateExpression: 'ADD memberCount :by',
        ConditionExpression: THIS_BUILD,
        ExpressionAttributeNames: DYNAMIC_NAME,
        ExpressionAttributeValues: {
          ':by': member ? 1 : -1,
          ':groupId': listing.thingGroupId,
          ':build': listing.buildId,
        },
      },
    },
    member
      ? {
          Put: {
            Item: {
              ...key,
              thingName: thing.thingName,
              addedAt: now,
              thingGroupName: listing.thingGroupName,
              thingGroupArn: listing.thingGroupArn,
              groupPath: [listing.thingGroupName],
              [LIST]: keys.membersOf(listing.thingGroupName),
              [LIST_KEY]: thing.thingName,
            },
            ConditionExpression: CONDITION.absent,
          },
        }
      : {
          Delete: {
            Key: key,
            ConditionExpression: 'thingGroupName = :group',
            ExpressionAttributeValues: { ':group': listing.thingGroupName },
          },
        },
    thingAt(thing),
  ];
}

/** Where the build stands, or (at its end) the group ACTIVE: only while it is this group's build. */
export function saveBuildParams(
  group: Pick<DynamicGroupListing, 'thingGroupName'>,
  buildId: string,
  after?: string,
): UpdateParams {
  return {
    Key: keys.thingGroup(group.thingGroupName),
    UpdateExpression:
      after === undefined
        ? 'SET #dynamic.#status = :active REMOVE #dynamic.buildAfter'
        : 'SET #dynamic.buildAfter = :after',
    ConditionExpression: 'attribute_not_exists(deletingSince) AND #dynamic.buildId = :build',
    ExpressionAttributeValues: {
      ':build': buildId,
      ...(after === undefined ? { ':active': 'ACTIVE' } : { ':after': after }),
    },
    ExpressionAttributeNames: { ...DYNAMIC_NAME, ...(after === undefined ? { '#status': 'status' } : {}) },
  };
}

/** A page of the registry's list of things, by name, after `after`. */
export const thingPageQuery = (after: string | undefined, limit: number): QueryParams => ({
  IndexName: INDEX,
  KeyConditionExpression: `${LIST} = :list${after !== undefined ? ` AND ${LIST_KEY} > :after` : ''}`,
  ExpressionAttributeValues: { ':list': keys.thingList, ...(after !== undefined ? { ':after': after } : {}) },
  Limit: limit,
});

/** A thing item as a dynamic group matches it. */
export const versionedThingOf = (item: Item): VersionedThing => ({
  thingName: item.thingName as string,
  thingId: item.thingId as string,
  ...(item.thingTypeName !== undefined ? { thingTypeName: item.thingTypeName as string } : {}),
  thingGroupNames: [...((item.thingGroupNames as Set<string> | undefined) ?? [])],
  attributes: (item.attributes as Record<string, string> | undefined) ?? {},
  version: item.version as number,
});
