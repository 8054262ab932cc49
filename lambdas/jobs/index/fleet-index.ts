import { toFractionalSeconds } from '../shared/clock';
import { InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { PageQuery } from '../shared/ports';
import { type ConnectivityEvent, connectivityOf, type DisconnectReason, type ThingConnectivity } from './connectivity';
import { checkGroupFields, matchesGroup, type ThingGroupDocumentFields } from './group-matcher';
import type { IndexQuery } from './index-query';
import {
  type ConnectivitySource,
  checkIndexingUpdate,
  DEFAULT_INDEXING_CONFIGURATION,
  type IndexingConfiguration,
  type IndexingConfigurationUpdate,
  isConnectivityOn,
  isIndexOn,
  THING_GROUPS_INDEX,
  THINGS_INDEX,
} from './indexing-configuration';
import { parseIndexQuery } from './query-parser';
import { needsGroupNames, planGroupSearch, planThingSearch } from './search-plan';
import type { ConnectivityStore, GroupSearchStore, IndexingConfigurationStore, ThingSearchStore } from './store';
import { checkConnectivityIndexed, checkThingFields, matchesThing, type ThingDocumentFields } from './thing-matcher';

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
  /** Where connectivity is indexed (STATUS). */
  connectivity?: ThingConnectivity;
}

/** GetThingConnectivityData's answer: the time in seconds, as the model's timestamp shape is written on the wire. */
export interface ThingConnectivityData {
  thingName: string;
  connected: boolean;
  timestamp?: number;
  disconnectReason?: DisconnectReason;
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
    private readonly connectivity: ConnectivityStore,
    /** Where connections are seen, if anywhere: STATUS is taken only where they are. */
    private readonly connectivitySource: ConnectivitySource = 'none',
  ) {}

  /** The configuration in force: AWS's default until the first update. */
  async getIndexingConfiguration(): Promise<IndexingConfiguration> {
    return (await this.store.getConfiguration()) ?? DEFAULT_INDEXING_CONFIGURATION;
  }

  /**
   * Turning the things index off while a dynamic thing group exists is refused: the group's membership is that index's
   * query (AWS requires fleet indexing on for dynamic groups), so the groups go first (DeleteDynamicThingGroup).
   */
  async updateIndexingConfiguration(update: IndexingConfigurationUpdate): Promise<Record<string, never>> {
    const checked = checkIndexingUpdate(update, this.connectivitySource);
    const turnsThingsOff = checked.thingIndexingConfiguration?.thingIndexingMode === 'OFF';
    if (!(await this.store.updateConfiguration(checked, turnsThingsOff)))
      throw new InvalidRequestException(
        'thingIndexingMode: the AWS_Things index cannot be turned OFF while dynamic thing groups exist; ' +
          'delete them with DeleteDynamicThingGroup first',
      );
    return {};
  }

  /**
   * A connect or disconnect of a client whose client ID names a thing (the local broker's): kept on the thing whatever
   * the configuration, one write each, so turning STATUS on shows the connections as they stand.
   */
  async recordConnectivity(thingName: string, event: ConnectivityEvent): Promise<void> {
    await this.connectivity.recordConnectivity(thingName, event);
  }

  /**
   * GetThingConnectivityData: one thing's connectivity, where it is indexed (otherwise InvalidRequestException naming
   * the mode to turn on); a thing that is not registered is ResourceNotFoundException.
   */
  async getThingConnectivityData(thingName: string): Promise<ThingConnectivityData> {
    if (!isConnectivityOn(await this.getIndexingConfiguration()))
      throw new InvalidRequestException(
        'Connectivity is not indexed: turn on thingConnectivityIndexingMode STATUS (with thingIndexingMode REGISTRY) ' +
          'with UpdateIndexingConfiguration',
      );
    const found = await this.connectivity.getConnectivity(thingName);
    if (!found) throw new ResourceNotFoundException(`Thing ${thingName} does not exist`);
    const { connected, timestamp, disconnectReason } = connectivityOf(found.recorded);
    return {
      thingName,
      connected,
      ...(timestamp !== undefined ? { timestamp: toFractionalSeconds(timestamp) } : {}),
      ...(disconnectReason !== undefined ? { disconnectReason } : {}),
    };
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
    if (indexName === THINGS_INDEX) checkThingFields(query, true);
    else checkGroupFields(query);
    const config = await this.getIndexingConfiguration();
    if (!isIndexOn(config, indexName))
      throw new ResourceNotFoundException(
        `Index ${indexName} does not exist: turn it on with UpdateIndexingConfiguration ` +
          `(${indexName === THINGS_INDEX ? 'thingIndexingMode REGISTRY' : 'thingGroupIndexingMode ON'})`,
      );
    const page = {
      maxResults: input.maxResults,
      ...(input.nextToken !== undefined ? { nextToken: input.nextToken } : {}),
    };
    const list = `${indexName}\n${input.queryString}`;
    if (indexName !== THINGS_INDEX) return this.searchGroups(query, list, page);
    const connectivity = isConnectivityOn(config);
    checkConnectivityIndexed(query, connectivity);
    return this.searchThings(query, list, page, connectivity);
  }

  private async searchThings(
    query: IndexQuery,
    list: string,
    page: PageQuery,
    connectivity: boolean,
  ): Promise<SearchIndexOutput> {
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
      things: found.items.map((thing) => thingDocumentView(thing, connectivity)),
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

export function thingDocumentView(thing: ThingDocumentFields, withConnectivity = false): ThingDocumentView {
  return {
    thingName: thing.thingName,
    thingId: thing.thingId,
    ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
    ...(thing.thingGroupNames.length ? { thingGroupNames: [...thing.thingGroupNames] } : {}),
    ...(Object.keys(thing.attributes).length ? { attributes: { ...thing.attributes } } : {}),
    ...(withConnectivity && thing.connectivity ? { connectivity: { ...thing.connectivity } } : {}),
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
