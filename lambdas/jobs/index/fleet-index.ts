import { InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { PageQuery } from '../shared/ports';
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
import { needsGroupNames, planThingSearch } from './search-plan';
import type { IndexingConfigurationStore, ThingSearchStore } from './store';
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

export interface SearchIndexOutput {
  things: ThingDocumentView[];
  thingGroups: never[];
  nextToken?: string;
}

/** Fleet indexing: its configuration, and the searches of the indexes it turns on. */
export class FleetIndexing {
  constructor(
    private readonly store: IndexingConfigurationStore,
    private readonly things: ThingSearchStore,
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
   * SearchIndex. An index that is off does not exist, as on AWS (ResourceNotFoundException); the query is parsed before
   * anything is read, so a bad one costs one GetItem at most.
   */
  async searchIndex(input: SearchIndexInput): Promise<SearchIndexOutput> {
    const indexName = input.indexName ?? THINGS_INDEX;
    if (indexName !== THINGS_INDEX && indexName !== THING_GROUPS_INDEX)
      throw new ResourceNotFoundException(
        `Index ${indexName} does not exist: the indexes are AWS_Things and AWS_ThingGroups`,
      );
    const query = parseIndexQuery(input.queryString);
    if (indexName === THING_GROUPS_INDEX)
      throw new InvalidRequestException('indexName: AWS_ThingGroups is not searchable yet; search AWS_Things');
    checkThingFields(query);
    if (!isIndexOn(await this.getIndexingConfiguration(), indexName))
      throw new ResourceNotFoundException(
        `Index ${indexName} does not exist: turn it on with UpdateIndexingConfiguration (thingIndexingMode REGISTRY)`,
      );
    const page = await this.things.searchThings(
      {
        access: planThingSearch(query),
        matches: (thing) => matchesThing(query, thing),
        groupsBeforeMatching: needsGroupNames(query),
        list: `${indexName}\n${input.queryString}`,
      },
      { maxResults: input.maxResults, ...(input.nextToken !== undefined ? { nextToken: input.nextToken } : {}) },
    );
    return {
      things: page.items.map(thingDocumentView),
      thingGroups: [],
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
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
