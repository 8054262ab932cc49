import { ResourceNotFoundException } from '../shared/errors';
import type { PageQuery } from '../shared/ports';
import { checkGroupFields, matchesGroup, type ThingGroupDocumentFields } from './group-matcher';
import type { IndexQuery } from './index-query';
import {
  checkIndexingUpdate,
  DEFAULT_INDEXING_CONFIGURATION,
  type IndexingConfiguration,
  type IndexingConfigurationUpdate,
  isIndexOn,
  THING_GROUPS_INDEX,
  THINGS_INDEX,
} from './indexing-configuration';
import { parseIndexQuery } from './query-parser';
import { needsGroupNames, planGroupSearch, planThingSearch } from './search-plan';
import type { GroupSearchStore, IndexingConfigurationStore, ThingSearchStore } from './store';
import { checkThingFields, matchesThing, type ThingDocumentFields } from './thing-matcher';

export interface SearchIndexInput extends PageQuery {
  indexName?: string;
  queryString: string;
}

/** A thing as SearchIndex answers it (botocore's ThingDocument): empty lists and maps left out. */
export interface ThingDocumentView {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  thingGroupNames?: string[];
  attributes?: Record<string, string>;
}

/** A thing group as SearchIndex answers it (botocore's ThingGroupDocument): empty lists and maps left out. */
export interface ThingGroupDocumentView {
  thingGroupName: string;
  thingGroupId: string;
  thingGroupDescription?: string;
  parentGroupNames?: string[];
  attributes?: Record<string, string>;
}

export interface SearchIndexOutput {
  things: ThingDocumentView[];
  thingGroups: ThingGroupDocumentView[];
  nextToken?: string;
}

/** Fleet indexing: its configuration, and the searches of the indexes it turns on. */
export class FleetIndexing {
  constructor(
    private readonly store: IndexingConfigurationStore,
    private readonly things: ThingSearchStore,
    private readonly groups: GroupSearchStore,
  ) {}

  /** The configuration in force: AWS's default until the first update. */
  async getIndexingConfiguration(): Promise<IndexingConfiguration> {
    return (await this.store.getConfiguration()) ?? DEFAULT_INDEXING_CONFIGURATION;
  }

  async updateIndexingConfiguration(update: IndexingConfigurationUpdate): Promise<Record<string, never>> {
    await this.store.updateConfiguration(checkIndexingUpdate(update));
    return {};
  }

  /**
   * SearchIndex. An index that is off does not exist, as on AWS (ResourceNotFoundException); the query is parsed and
   * checked before anything is read, so a bad one reads nothing.
   */
  async searchIndex(input: SearchIndexInput): Promise<SearchIndexOutput> {
    const indexName = input.indexName ?? THINGS_INDEX;
    if (indexName !== THINGS_INDEX && indexName !== THING_GROUPS_INDEX)
      throw new ResourceNotFoundException(
        `Index ${indexName} does not exist: the indexes are AWS_Things and AWS_ThingGroups`,
      );
    const query = parseIndexQuery(input.queryString);
    if (indexName === THINGS_INDEX) checkThingFields(query);
    else checkGroupFields(query);
    if (!isIndexOn(await this.getIndexingConfiguration(), indexName))
      throw new ResourceNotFoundException(
        `Index ${indexName} does not exist: turn it on with UpdateIndexingConfiguration ` +
          `(${indexName === THINGS_INDEX ? 'thingIndexingMode REGISTRY' : 'thingGroupIndexingMode ON'})`,
      );
    const page = {
      maxResults: input.maxResults,
      ...(input.nextToken !== undefined ? { nextToken: input.nextToken } : {}),
    };
    const list = `${indexName}\n${input.queryString}`;
    return indexName === THINGS_INDEX ? this.searchThings(query, list, page) : this.searchGroups(query, list, page);
  }

  private async searchThings(query: IndexQuery, list: string, page: PageQuery): Promise<SearchIndexOutput> {
    const found = await this.things.searchThings(
      {
        access: planThingSearch(query),
        matches: (thing) => matchesThing(query, thing),
        groupsBeforeMatching: needsGroupNames(query),
        list,
      },
      page,
    );
    return {
      things: found.items.map(thingDocumentView),
      thingGroups: [],
      ...(found.nextToken ? { nextToken: found.nextToken } : {}),
    };
  }

  private async searchGroups(query: IndexQuery, list: string, page: PageQuery): Promise<SearchIndexOutput> {
    const found = await this.groups.searchGroups(
      { access: planGroupSearch(query), matches: (group) => matchesGroup(query, group), list },
      page,
    );
    return {
      things: [],
      thingGroups: found.items.map(groupDocumentView),
      ...(found.nextToken ? { nextToken: found.nextToken } : {}),
    };
  }
}

export function thingDocumentView(thing: ThingDocumentFields): ThingDocumentView {
  return {
    thingName: thing.thingName,
    thingId: thing.thingId,
    ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
    ...(thing.thingGroupNames.length ? { thingGroupNames: [...thing.thingGroupNames] } : {}),
    ...(Object.keys(thing.attributes).length ? { attributes: { ...thing.attributes } } : {}),
  };
}

export function groupDocumentView(group: ThingGroupDocumentFields): ThingGroupDocumentView {
  return {
    thingGroupName: group.thingGroupName,
    thingGroupId: group.thingGroupId,
    ...(group.thingGroupDescription !== undefined ? { thingGroupDescription: group.thingGroupDescription } : {}),
    ...(group.parentGroupNames.length ? { parentGroupNames: [...group.parentGroupNames] } : {}),
    ...(Object.keys(group.attributes).length ? { attributes: { ...group.attributes } } : {}),
  };
}
