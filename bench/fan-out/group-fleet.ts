import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThingGroupRecord } from '../../lambdas/jobs/fleet/thing-group';
import { thingArn, thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { membershipItem, toGroupItem } from '../../lambdas/store/registry/thing-group-items';
import { toThingItem } from '../../lambdas/store/registry/things';
import { TableAccess } from '../../lambdas/store/table/table-access';

/**
 * A registered fleet in thing groups, written straight to the table as
 * CreateThing, CreateThingGroup and AddThingToThingGroup would leave it (each
 * thing in one group), in BatchWriteItem calls: a fleet of 100,000 in a
 * minute instead of an hour of API calls.
 */
export async function seedGroupFleet(
  db: DynamoDBDocumentClient,
  tableName: string,
  groups: { name: string; parent?: string; things: string[] }[],
  now: number,
  parallelWriters = 8,
  attributesOf: (thingName: string) => Record<string, string> = () => ({}),
): Promise<void> {
  const access = new TableAccess(db, tableName);
  const records = new Map<string, ThingGroupRecord>();
  for (const group of groups) {
    const parent = group.parent === undefined ? undefined : records.get(group.parent);
    records.set(group.name, {
      thingGroupName: group.name,
      thingGroupId: `seed-${group.name}`,
      thingGroupArn: thingGroupArn(DEFAULT_ARN_CONTEXT, group.name),
      version: 1,
      attributes: {},
      ...(parent ? { parentGroupName: parent.thingGroupName } : {}),
      ancestors: parent
        ? [...parent.ancestors, { groupName: parent.thingGroupName, groupArn: parent.thingGroupArn }]
        : [],
      createdAt: now,
    });
  }
  const items: object[] = [...records.values()].map(toGroupItem);
  for (const group of groups) {
    for (const thingName of group.things) {
      items.push({
        ...toThingItem({
          thingName,
          thingId: `seed-${thingName}`,
          thingArn: thingArn(DEFAULT_ARN_CONTEXT, thingName),
          attributes: attributesOf(thingName),
          version: 1,
          createdAt: now,
        }),
        groupCount: 1,
        thingGroupNames: new Set([group.name]),
      });
      items.push(membershipItem(records.get(group.name)!, thingName, now));
    }
  }
  await access.batchWrite(
    items.map((Item) => ({ PutRequest: { Item } })),
    parallelWriters,
  );
}

/** `count` thing names under `prefix`, in name order. */
export const thingNames = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
