import type { Page, PageQuery } from '../shared/ports';
import type { AttributeFilter, ThingRecord } from './thing';
import type { GroupFilter, GroupRef, ThingGroupRecord } from './thing-group';

/**
 * A conditional write of a thing: applied, or refused with the thing as it stood (none: there is no such thing), and,
 * when the thing type it was to be given refused it, why: there is no such type, or it is deprecated.
 */
export type ThingWriteOutcome =
  /** The thing as written, where the write gives it back (a transaction does not). */
  | { applied: true; thing?: ThingRecord }
  | { applied: false; current?: ThingRecord; typeRefusal?: 'missing' | 'deprecated' };

/** The thing type an UpdateThing gives a thing instead of the one it had (undefined: none). */
export interface TypeChange {
  from: string | undefined;
  to: string | undefined;
}

/** Which things are registered: what CreateJob asks before it targets them. */
export interface ThingDirectory {
  /** Those of `thingNames` that are not registered, in the order given. */
  missingThings(thingNames: readonly string[]): Promise<string[]>;
}

/** The thing registry's port: one item per thing. */
export interface ThingStore extends ThingDirectory {
  /**
   * Written only if no thing of that name exists (refused with the one that does), and with a thing type only if the
   * type exists and is not deprecated (the type's count of things one more).
   */
  createThing(thing: ThingRecord): Promise<ThingWriteOutcome>;
  getThing(thingName: string): Promise<ThingRecord | undefined>;
  /** By name; with a filter, only things with that attribute value; with a type, only things of it. */
  listThings(filter: AttributeFilter | undefined, page: PageQuery, thingTypeName?: string): Promise<Page<ThingRecord>>;
  /**
   * Its attributes replaced and its version one more, only if it is still at `seenVersion`; with a type change, the
   * new type only if it exists and is not deprecated (both types' counts of things moved in the same write).
   */
  updateThing(
    thingName: string,
    attributes: Record<string, string>,
    seenVersion: number,
    typeChange?: TypeChange,
  ): Promise<ThingWriteOutcome>;
  /** Marks the thing deleted (before it is): see markedDeleted. */
  markDeleted(thingName: string, now: number): Promise<void>;
  /**
   * Deleted (or there was none), only at `expectedVersion` if one is given; refused with the thing as it stands. Its
   * type's count of things goes one less in the same write.
   */
  deleteThing(
    thingName: string,
    expectedVersion: number | undefined,
  ): Promise<{ applied: true } | { applied: false; current?: ThingRecord }>;
}

/** What CreateJob asks of thing group targets. */
export interface GroupDirectory {
  /** Those of `groupNames` that do not exist or are being deleted, in the order given. */
  missingGroups(groupNames: readonly string[]): Promise<string[]>;
  /**
   * For each of `groupNames` (existing groups), the names of every group below it (but those being deleted), and the
   * root of its tree.
   */
  groupsBelow(groupNames: readonly string[]): Promise<Map<string, { below: string[]; rootGroupName: string }>>;
  /**
   * Up to `limit` members of one group that joined it at or before `asOf`, after `after` (the previous read's); `after`
   * of the next read, absent at the end.
   */
  memberPage(
    groupName: string,
    asOf: number,
    limit: number,
    after?: Record<string, unknown>,
  ): Promise<{ things: string[]; after?: Record<string, unknown> }>;
}

/** What AddThingToThingGroup met. */
export type AddMemberOutcome =
  | { outcome: 'added' | 'already-member' | 'thing-missing' | 'group-missing' | 'too-many-groups' }
  | { outcome: 'in-tree'; otherGroup: string };

/** DeleteThingGroup's mark: applied, or refused with the group as it stands (none: it is gone). */
export type MarkOutcome = { applied: true; group: ThingGroupRecord } | { applied: false; current?: ThingGroupRecord };

/** The static thing groups' port: a group item each, and a membership item per thing and tree of groups. */
export interface ThingGroupStore extends GroupDirectory {
  /** Written only if no group of that name exists; refused with the one that does. */
  createGroup(group: ThingGroupRecord): Promise<{ applied: true } | { applied: false; current?: ThingGroupRecord }>;
  /** The group as it is, marked or not (see ThingGroupRecord.deletingSince). */
  getGroup(name: string): Promise<ThingGroupRecord | undefined>;
  /** By name; a parent filter by the groups' recorded ancestry; groups being deleted left out. */
  listGroups(filter: GroupFilter, page: PageQuery): Promise<Page<ThingGroupRecord>>;
  /** Every group below this one, by name; groups being deleted left out. */
  descendantsOf(name: string): Promise<ThingGroupRecord[]>;
  /** Any group right below this one, being deleted or not. */
  hasChildren(name: string): Promise<boolean>;
  /**
   * DeleteThingGroup's first write: the group (this one, not yet marked, at `expectedVersion` if one is given) marked
   * being deleted, which every membership write's condition refuses from then on.
   */
  markDeleting(group: ThingGroupRecord, expectedVersion: number | undefined, now: number): Promise<MarkOutcome>;
  /**
   * The marked group's memberships removed, then its item, which goes only once no membership of it is left; true
   * when it is gone, false if memberships were still left (ones the index did not list yet): the mark stays, and
   * another DeleteThingGroup goes on from there.
   */
  removeMarkedGroup(group: ThingGroupRecord): Promise<boolean>;
  /**
   * One atomic write: the group is still this one and not being deleted, the thing exists and is in fewer than
   * MAX_GROUPS_PER_THING groups, and is in no other group of this tree.
   */
  addMember(group: ThingGroupRecord, thingName: string, now: number): Promise<AddMemberOutcome>;
  /** Out of the group (being deleted or not; the thing's count of groups one less); false if it was not in it. */
  removeMember(group: ThingGroupRecord, thingName: string): Promise<boolean>;
  /** Thing names, group after group in the order given, each by name. */
  listMembers(groupNames: readonly string[], page: PageQuery): Promise<Page<string>>;
  groupsOfThing(thingName: string, page: PageQuery): Promise<Page<GroupRef>>;
  /** Every membership of the thing gone (DeleteThing), each group's count of members one less. */
  removeMemberships(thingName: string): Promise<void>;
  /** The thing's memberships, read consistently: each the path of its group, from the root of its tree down. */
  groupPathsOf(thingName: string): Promise<string[][]>;
  /**
   * Its description and attributes replaced and its version one more, only while it is this group (not made again),
   * not being deleted, and at `seenVersion`; refused with the group as it stands (none: it is gone).
   */
  updateGroup(
    group: ThingGroupRecord,
    properties: Pick<ThingGroupRecord, 'description' | 'attributes'>,
    seenVersion: number,
  ): Promise<{ applied: true; group: ThingGroupRecord } | { applied: false; current?: ThingGroupRecord }>;
}
