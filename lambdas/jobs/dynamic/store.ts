import type { ThingGroupRecord } from '../fleet/thing-group';
import type { ThingDocumentFields } from '../index/thing-matcher';
import type { DynamicGroupListing, DynamicQuery } from './dynamic-group';

/** A thing as a dynamic group's upkeep and build read it: its indexed fields, at the version they were read. */
export interface VersionedThing extends ThingDocumentFields {
  version: number;
}

/** What a membership write of a dynamic group met. */
export type DynamicMembershipOutcome = 'written' | 'unchanged' | 'thing-changed' | 'group-gone';

/** The port of dynamic thing groups: their items, their listings, and their memberships. */
export interface DynamicGroupStore {
  /**
   * The group and its listing in one write, only if no group of that name exists, fewer than `most` dynamic groups
   * do and the things index is on; refused with the group that exists, as over the limit, or as the index off.
   */
  createDynamicGroup(
    group: ThingGroupRecord & { dynamic: DynamicQuery },
    most: number,
  ): Promise<
    { applied: true } | { applied: false; current?: ThingGroupRecord; overLimit?: boolean; indexOff?: boolean }
  >;
  /**
   * Its properties (and its query, with a new build) replaced and its version one more, only while it is this group,
   * not being deleted, at `seenVersion`; the listing with it.
   */
  updateDynamicGroup(
    group: ThingGroupRecord & { dynamic: DynamicQuery },
    seenVersion: number,
  ): Promise<{ applied: true } | { applied: false; current?: ThingGroupRecord }>;
  /** The listing gone (no upkeep from then on), in the same write as DeleteThingGroup's mark. */
  markDeleting(
    group: ThingGroupRecord,
    expectedVersion: number | undefined,
    now: number,
  ): Promise<{ applied: true; group: ThingGroupRecord } | { applied: false; current?: ThingGroupRecord }>;
  /** Every dynamic group's listing, read consistently (a hundred at most). */
  listings(): Promise<DynamicGroupListing[]>;
  /**
   * The thing in the group (or, with `member` false, out of it), only while the thing is at the version read and the
   * group is this one and not being deleted; the group's count of members moved with it.
   */
  setMembership(
    listing: DynamicGroupListing,
    thing: Pick<VersionedThing, 'thingName' | 'version'>,
    member: boolean,
    now: number,
  ): Promise<DynamicMembershipOutcome>;
  /** A page of the fleet, by name, after `after` (the last page's); `after` absent at the end. */
  thingPage(after: string | undefined, limit: number): Promise<{ things: VersionedThing[]; after?: string }>;
  /** One thing, read consistently. */
  thing(thingName: string): Promise<VersionedThing | undefined>;
  /** Of `thingNames`, those in the group now (read consistently). */
  membersAmong(groupName: string, thingNames: readonly string[]): Promise<Set<string>>;
  /** Where the build stands, kept on the group only while `buildId` is its build: false if it is not any more. */
  saveBuild(groupName: string, buildId: string, after: string | undefined): Promise<boolean>;
}
