import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { connectivityOf } from '../../jobs/index/connectivity';
import type { ThingSearch, ThingSearchStore } from '../../jobs/index/store';
import type { ThingDocumentFields } from '../../jobs/index/thing-matcher';
import { forEachLimited } from '../../jobs/shared/concurrency';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { TableAccess } from '../table/table-access';
import { JOBS_TABLE } from '../table/table-design';
import type { Item, QueryParams } from '../table/table-params';
import { recordedConnectivityOf } from './thing-connectivity';
import { membershipsOfThingQuery, membersQuery, TABLE_KEY } from './thing-group-items';
import { fromThingItem, thingListPageKey, thingListQuery } from './things';

const { partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
/** Things whose groups are read at once (one Query each, in the thing's own partition). */
const GROUP_READS_IN_FLIGHT = 16;

/** The registry's list of things from a name prefix on (a key condition: only those names are read). */
export function thingPrefixQuery(prefix: string): QueryParams {
  const all = thingListQuery(undefined);
  return {
    ...all,
    KeyConditionExpression: `${LIST} = :list AND begins_with(${LIST_KEY}, :prefix)`,
    ExpressionAttributeValues: { ...all.ExpressionAttributeValues, ':prefix': prefix },
  };
}

const memberListKey = (groupName: string): PageKeyShape => ({
  attributes: [...TABLE_KEY, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.membersOf(groupName) }),
});

/**
 * A thing's groups as its item records them (the names kept beside its count of groups), when the two agree; else
 * undefined, and they are read from its memberships (a thing whose memberships came before the names were kept).
 */
export function recordedGroupsOf(item: Item): string[] | undefined {
  const names = item.thingGroupNames instanceof Set ? [...(item.thingGroupNames as Set<string>)] : [];
  const count = item.groupCount as number | undefined;
  return count !== undefined && count === names.length ? names.sort() : undefined;
}

const documentOf = (item: Item, thingGroupNames: readonly string[] = []): ThingDocumentFields => {
  const thing = fromThingItem(item);
  return {
    thingName: thing.thingName,
    thingId: thing.thingId,
    ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
    thingGroupNames,
    attributes: thing.attributes,
    // On the item itself: read with the thing, shown by the search only where connectivity is indexed.
    connectivity: connectivityOf(recordedConnectivityOf(item)),
  };
};

/**
 * SearchIndex's reads of the things index, which is the registry itself: no copy is kept. Each search reads by key
 * (a thing, a group's members, a name prefix, or the whole list of things), a bounded number of queries per page
 * (table-access.ts), and keeps what the matcher keeps; a page may hold fewer than maxResults, with a nextToken that
 * resumes exactly where the reads stopped.
 */
export class DynamoThingSearchStore implements ThingSearchStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async searchThings(search: ThingSearch, page: PageQuery): Promise<Page<ThingDocumentFields>> {
    const list = `search/${createHash('sha256').update(search.list).digest('base64url').slice(0, 22)}`;
    const { access } = search;
    if (access.kind === 'thing') {
      const item = await this.access.get(keys.thing(access.thingName));
      return { items: item ? await this.kept(search, [item]) : [] };
    }
    if (access.kind === 'group') {
      // The group's members, each thing read whole (BatchGetItem); the member items carry the page's keys.
      const found = new Map<string, ThingDocumentFields>();
      const result = await this.access.queryPage(
        list,
        page,
        membersQuery(access.thingGroupName),
        memberListKey(access.thingGroupName),
        async (members) => {
          const things = await this.access.batchGet(members.map((m) => keys.thing(m.thingName as string)));
          for (const thing of await this.kept(search, things)) found.set(thing.thingName, thing);
          return members.filter((m) => found.has(m.thingName as string));
        },
      );
      return this.paged(
        result.items.map((m) => found.get(m.thingName as string)!),
        result.nextToken,
      );
    }
    const query = access.kind === 'prefix' ? thingPrefixQuery(access.prefix) : thingListQuery(undefined);
    const found = new Map<string, ThingDocumentFields>();
    const result = await this.access.queryPage(list, page, query, thingListPageKey, async (items) => {
      for (const thing of await this.kept(search, items)) found.set(thing.thingName, thing);
      return items.filter((item) => found.has(item.thingName as string));
    });
    return this.paged(
      result.items.map((item) => found.get(item.thingName as string)!),
      result.nextToken,
    );
  }

  private paged(items: ThingDocumentFields[], nextToken: string | undefined): Page<ThingDocumentFields> {
    return { items, ...(nextToken ? { nextToken } : {}) };
  }

  /** The things the search keeps of these items, in their order, each with its groups. */
  private async kept(search: ThingSearch, items: readonly Item[]): Promise<ThingDocumentFields[]> {
    const byName = new Map(items.map((item) => [item.thingName as string, item]));
    const ordered = [...byName.keys()];
    if (search.groupsBeforeMatching) {
      const groups = await this.groupsOf([...byName.values()]);
      return ordered.map((name) => documentOf(byName.get(name)!, groups.get(name))).filter(search.matches);
    }
    const matched = ordered.map((name) => documentOf(byName.get(name)!)).filter(search.matches);
    const groups = await this.groupsOf(matched.map((thing) => byName.get(thing.thingName)!));
    return matched.map((thing) => ({ ...thing, thingGroupNames: groups.get(thing.thingName) ?? [] }));
  }

  /**
   * Each thing's groups: as its item records them, or (where it does not) from its memberships in its own partition,
   * one Query per thing, some at once.
   */
  private async groupsOf(items: readonly Item[]): Promise<Map<string, string[]>> {
    const groups = new Map<string, string[]>();
    const unrecorded: string[] = [];
    for (const item of items) {
      const recorded = recordedGroupsOf(item);
      if (recorded) groups.set(item.thingName as string, recorded);
      else unrecorded.push(item.thingName as string);
    }
    await forEachLimited(unrecorded, GROUP_READS_IN_FLIGHT, async (thingName) => {
      const memberships = await this.access.queryAll({
        ...membershipsOfThingQuery(thingName),
        ProjectionExpression: 'thingGroupName',
      });
      groups.set(thingName, memberships.map((m) => m.thingGroupName as string).sort());
    });
    return groups;
  }
}
