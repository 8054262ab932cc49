import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamicGroupListing, DynamicQuery } from '../../jobs/dynamic/dynamic-group';
import type { DynamicGroupStore, DynamicMembershipOutcome, VersionedThing } from '../../jobs/dynamic/store';
import type { ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { fromGroupItem } from '../registry/thing-group-items';
import { keys } from '../table/keys';
import { backOff, TableAccess } from '../table/table-access';
import {
  createParams,
  fromListingItem,
  listingsQuery,
  markDeletingTransaction,
  membershipParams,
  saveBuildParams,
  thingPageQuery,
  updateParams,
  versionedThingOf,
} from './dynamic-group-items';

const FAILED = 'ConditionalCheckFailed';
/** Tries of a write that met another write of the same items (TransactionConflict). */
const CONFLICT_ATTEMPTS = 8;

/** Dynamic thing groups in the one table: see dynamic-group-items.ts for each write's conditions. */
export class DynamoDynamicGroupStore implements DynamicGroupStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createDynamicGroup(group: ThingGroupRecord & { dynamic: DynamicQuery }, most: number) {
    const outcome = await this.transact(createParams(group, most));
    if (outcome.applied) return { applied: true as const };
    const [groupPut, , count, indexOn] = outcome.reasons;
    if (groupPut === FAILED) {
      const current = await this.group(group.thingGroupName);
      return { applied: false as const, ...(current ? { current } : {}) };
    }
    if (indexOn === FAILED) return { applied: false as const, indexOff: true };
    return { applied: false as const, overLimit: count === FAILED };
  }

  async updateDynamicGroup(group: ThingGroupRecord & { dynamic: DynamicQuery }, seenVersion: number) {
    const outcome = await this.transact(updateParams(group, seenVersion));
    if (outcome.applied) return { applied: true as const };
    const current = await this.group(group.thingGroupName);
    return { applied: false as const, ...(current ? { current } : {}) };
  }

  async markDeleting(group: ThingGroupRecord, expectedVersion: number | undefined, now: number) {
    const outcome = await this.transact(markDeletingTransaction(group, expectedVersion, now));
    if (outcome.applied) return { applied: true as const, group: { ...group, deletingSince: now } };
    const current = await this.group(group.thingGroupName);
    return { applied: false as const, ...(current ? { current } : {}) };
  }

  async listings(): Promise<DynamicGroupListing[]> {
    return (await this.access.queryAll(listingsQuery)).map(fromListingItem);
  }

  async setMembership(
    listing: DynamicGroupListing,
    thing: Pick<VersionedThing, 'thingName' | 'version'>,
    member: boolean,
    now: number,
  ): Promise<DynamicMembershipOutcome> {
    const outcome = await this.transact(membershipParams(listing, thing, member, now));
    if (outcome.applied) return 'written';
    const [group, membership, thingCheck] = outcome.reasons;
    if (group === FAILED) return 'group-gone';
    if (thingCheck === FAILED) return 'thing-changed';
    if (membership === FAILED) return 'unchanged';
    throw new Error(`A membership of ${listing.thingGroupName} kept meeting other writes (${outcome.reasons})`);
  }

  async thingPage(after: string | undefined, limit: number) {
    const page = await this.access.query(thingPageQuery(after, limit));
    const things = (page.Items ?? []).map(versionedThingOf);
    const last = things.at(-1)?.thingName;
    return { things, ...(page.LastEvaluatedKey && last !== undefined ? { after: last } : {}) };
  }

  async thing(thingName: string): Promise<VersionedThing | undefined> {
    const item = await this.access.get(keys.thing(thingName));
    return item ? versionedThingOf(item) : undefined;
  }

  async membersAmong(groupName: string, thingNames: readonly string[]): Promise<Set<string>> {
    if (!thingNames.length) return new Set();
    const items = await this.access.batchGet(
      thingNames.map((name) => keys.membership(name, groupName)),
      { expression: 'thingName, thingGroupName' },
    );
    return new Set(items.filter((i) => i.thingGroupName === groupName).map((i) => i.thingName as string));
  }

  async saveBuild(groupName: string, buildId: string, after: string | undefined): Promise<boolean> {
    return (await this.access.update(saveBuildParams({ thingGroupName: groupName }, buildId, after))).applied;
  }

  private async group(name: string): Promise<ThingGroupRecord | undefined> {
    const item = await this.access.get(keys.thingGroup(name));
    return item ? fromGroupItem(item) : undefined;
  }

  /** A transaction, done again while it only met other writes (no condition refused it). */
  private async transact(params: Parameters<TableAccess['transactWrite']>[0]) {
    for (let conflicts = 0; ; ) {
      const outcome = await this.access.transactWrite(params);
      if (outcome.applied || outcome.reasons.includes(FAILED) || ++conflicts === CONFLICT_ATTEMPTS) return outcome;
      await backOff(conflicts);
    }
  }
}
