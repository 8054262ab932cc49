import { isLive, type ThingGroupRecord } from '../fleet/thing-group';
import type { IndexQuery } from '../index/index-query';
import { matchesThing } from '../index/thing-matcher';
import type { Clock } from '../shared/clock';
import type { DynamicGroupListing } from './dynamic-group';
import { checkedThingQuery } from './dynamic-thing-groups';
import type { DynamicGroupStore, VersionedThing } from './store';

/** A thing as the table's stream tells its change: before and after (absent: created, or deleted). */
export interface ThingChange {
  before?: VersionedThing;
  after?: VersionedThing;
}

/** Things read per page of a build, and pages per call: a call ends well within a stream reader's minute. */
const BUILD_PAGE = 100;
const PAGES_PER_CALL = 20;
/** Tries of one thing's membership that kept meeting a newer version of the thing. */
const THING_ATTEMPTS = 5;
/** Parsed queries kept per container, by their text. */
const MAX_CACHED_QUERIES = 200;

/**
 * Dynamic groups' membership, kept off the request path: each change of a thing is matched against every dynamic
 * group's query (before and after), and a membership is written only where the answer changed, so a change costs
 * the number of dynamic groups in matching and nothing in writes unless it moves the thing. A new group (or a new
 * query) is built by a walk of the fleet, page by page, its place kept on the group so that a stop resumes it.
 * Every membership write holds only at the version of the thing it was decided on: a build's page never undoes a
 * newer change, and a change seen twice writes nothing new.
 */
export class DynamicMembershipUpkeep {
  private readonly queries = new Map<string, IndexQuery>();

  constructor(
    private readonly store: DynamicGroupStore,
    private readonly getGroup: (name: string) => Promise<ThingGroupRecord | undefined>,
    private readonly clock: Clock,
  ) {}

  /** The changes of a stream batch, in order; the listings read once for the batch. The writes made, counted. */
  async followThings(changes: readonly ThingChange[]): Promise<number> {
    const moved = changes.filter((change) => change.after);
    if (!moved.length) return 0;
    const listings = await this.store.listings();
    let writes = 0;
    for (const { before, after } of moved) {
      for (const listing of listings) {
        const query = this.queryOf(listing.queryString);
        const was = before !== undefined && matchesThing(query, before);
        const is = matchesThing(query, after!);
        // DeleteThing takes every membership with it, so a deleted thing needs nothing here.
        if (was === is) continue;
        if ((await this.store.setMembership(listing, after!, is, this.clock())) === 'written') writes++;
      }
    }
    return writes;
  }

  /**
   * Goes on with the group's build from where it stands, for a bounded number of pages; true when the build is done
   * (or not this one's to do: the group is gone, or ACTIVE). A build not done has saved its place, and that write
   * wakes the next call.
   */
  async build(groupName: string): Promise<boolean> {
    const group = await this.getGroup(groupName);
    if (!group?.dynamic || !isLive(group) || group.dynamic.status === 'ACTIVE') return true;
    const listing: DynamicGroupListing = {
      thingGroupName: group.thingGroupName,
      thingGroupId: group.thingGroupId,
      thingGroupArn: group.thingGroupArn,
      queryString: group.dynamic.queryString,
      buildId: group.dynamic.buildId,
    };
    const query = this.queryOf(listing.queryString);
    let after = group.dynamic.buildAfter;
    for (let pages = 0; pages < PAGES_PER_CALL; pages++) {
      const page = await this.store.thingPage(after, BUILD_PAGE);
      const members = await this.store.membersAmong(
        groupName,
        page.things.map((t) => t.thingName),
      );
      for (const thing of page.things) {
        if (!(await this.settle(listing, query, thing, members.has(thing.thingName)))) return true;
      }
      after = page.after;
      if (!(await this.store.saveBuild(groupName, listing.buildId, after))) return true;
      if (after === undefined) return true;
    }
    return false;
  }

  /**
   * One thing's membership made what the query says of it; a thing changed since it was read is read again (with its
   * membership). False if the group is gone or its query changed: the build stops.
   */
  private async settle(listing: DynamicGroupListing, query: IndexQuery, read: VersionedThing, member: boolean) {
    let thing: VersionedThing | undefined = read;
    let has = member;
    for (let attempt = 0; thing && attempt < THING_ATTEMPTS; attempt++) {
      const wanted = matchesThing(query, thing);
      if (wanted === has) return true;
      const outcome = await this.store.setMembership(listing, thing, wanted, this.clock());
      if (outcome === 'group-gone') return false;
      if (outcome !== 'thing-changed') return true;
      thing = await this.store.thing(read.thingName);
      has = (await this.store.membersAmong(listing.thingGroupName, [read.thingName])).has(read.thingName);
    }
    // Deleted meanwhile (DeleteThing took its memberships), or changing faster than it is read: each of its changes
    // reaches the upkeep, which follows it.
    return true;
  }

  private queryOf(queryString: string): IndexQuery {
    let query = this.queries.get(queryString);
    if (!query) {
      if (this.queries.size >= MAX_CACHED_QUERIES) this.queries.clear();
      query = checkedThingQuery(queryString);
      this.queries.set(queryString, query);
    }
    return query;
  }
}
