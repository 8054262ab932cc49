import type { DynamicQuery } from '../dynamic/dynamic-group';

/** A thing group: what DescribeThingGroup shows. */
export interface ThingGroupRecord {
  thingGroupName: string;
  /** Made at creation: a group deleted and created again under its name is another group. */
  thingGroupId: string;
  thingGroupArn: string;
  version: number;
  description?: string;
  attributes: Record<string, string>;
  parentGroupName?: string;
  /** From the root of its tree down to its parent; fixed at creation (a group's parent never changes). */
  ancestors: GroupRef[];
  createdAt: number;
  /**
   * When DeleteThingGroup began (its first write): from then on the group is gone to every read of it and takes no
   * member, and its item goes once its last member is out. Absent on a live group.
   */
  deletingSince?: number;
  /** A dynamic group's query and build (a dynamic group has no parent, and no group below it). Absent: static. */
  dynamic?: DynamicQuery;
}

/** What a new group is made of, as CreateThingGroup and CreateDynamicThingGroup take it. */
export interface NewGroupFields {
  thingGroupName: string;
  parentGroupName?: string;
  description?: string;
  attributes: Record<string, string>;
}

/** A new group at version 1, static or dynamic: the one record both creations write. */
export function newGroupRecord(
  fields: NewGroupFields,
  made: { thingGroupId: string; thingGroupArn: string; ancestors: GroupRef[]; createdAt: number },
): ThingGroupRecord {
  return {
    thingGroupName: fields.thingGroupName,
    thingGroupId: made.thingGroupId,
    thingGroupArn: made.thingGroupArn,
    version: 1,
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    attributes: fields.attributes,
    ...(fields.parentGroupName !== undefined ? { parentGroupName: fields.parentGroupName } : {}),
    ancestors: made.ancestors,
    createdAt: made.createdAt,
  };
}

/** Not being deleted: what every operation on the group itself asks (a thing may still leave one being deleted). */
export const isLive = (group: ThingGroupRecord): boolean => group.deletingSince === undefined;

export interface GroupRef {
  groupName: string;
  groupArn: string;
}

/** AWS's limits: how deep a tree of groups may be, and in how many groups one thing may be. */
export const MAX_GROUP_DEPTH = 7;
export const MAX_GROUPS_PER_THING = 10;

/** The root of the group's tree: a thing may be in one group of each tree only (AWS). */
export const rootOf = (group: ThingGroupRecord): string => group.ancestors[0]?.groupName ?? group.thingGroupName;

/** The group's tree from its root down to the group itself, by name. */
export const groupPathOf = (group: ThingGroupRecord): string[] => [
  ...group.ancestors.map((a) => a.groupName),
  group.thingGroupName,
];

export const refOf = (group: ThingGroupRecord): GroupRef => ({
  groupName: group.thingGroupName,
  groupArn: group.thingGroupArn,
});

/** Same parent, description and attributes: a CreateThingGroup sent again is answered as the first. */
export function sameGroup(
  a: ThingGroupRecord,
  b: Pick<ThingGroupRecord, 'parentGroupName' | 'description' | 'attributes'>,
): boolean {
  const attributes = (x: Record<string, string>) =>
    JSON.stringify(Object.entries(x).sort(([m], [n]) => m.localeCompare(n)));
  return (
    a.parentGroupName === b.parentGroupName &&
    a.description === b.description &&
    attributes(a.attributes) === attributes(b.attributes)
  );
}

/** ListThingGroups' filters. */
export interface GroupFilter {
  namePrefix?: string;
  parentGroup?: string;
  /**
   * With a parent: its descendants too (true or absent, as AWS), or its children only (false). Without a parent: false
   * lists root groups only.
   */
  recursive?: boolean;
}
