import { InvalidRequestException } from '../shared/errors';

/**
 * Fleet indexing's configuration (GetIndexingConfiguration, UpdateIndexingConfiguration): which indexes exist and what
 * they hold. This service indexes the registry only: it keeps no shadows and no Device Defender violations, so the
 * modes that would index them are refused by name rather than accepted and left empty.
 */

export type ThingIndexingMode = 'OFF' | 'REGISTRY';
export type ThingGroupIndexingMode = 'OFF' | 'ON';

export interface ThingIndexingConfiguration {
  thingIndexingMode: ThingIndexingMode;
  thingConnectivityIndexingMode: 'OFF';
}

export interface ThingGroupIndexingConfiguration {
  thingGroupIndexingMode: ThingGroupIndexingMode;
}

export interface IndexingConfiguration {
  thingIndexingConfiguration: ThingIndexingConfiguration;
  thingGroupIndexingConfiguration: ThingGroupIndexingConfiguration;
}

/** What an account starts with on AWS: both indexes off, so SearchIndex finds no index until one is turned on. */
export const DEFAULT_INDEXING_CONFIGURATION: IndexingConfiguration = {
  thingIndexingConfiguration: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' },
  thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'OFF' },
};

/** An update: either half may be left out, and then stays as it is (AWS's behaviour). */
export interface IndexingConfigurationUpdate {
  thingIndexingConfiguration?: ThingIndexingConfiguration;
  thingGroupIndexingConfiguration?: ThingGroupIndexingConfiguration;
}

/** The two indexes AWS names, and which half of the configuration turns each on. */
export const THINGS_INDEX = 'AWS_Things';
export const THING_GROUPS_INDEX = 'AWS_ThingGroups';

export function isIndexOn(config: IndexingConfiguration, indexName: string): boolean {
  return indexName === THINGS_INDEX
    ? config.thingIndexingConfiguration.thingIndexingMode !== 'OFF'
    : config.thingGroupIndexingConfiguration.thingGroupIndexingMode === 'ON';
}

/** The checks of an update that need the rules, not only the shapes (the request parser checks those). */
export function checkIndexingUpdate(update: IndexingConfigurationUpdate): IndexingConfigurationUpdate {
  if (!update.thingIndexingConfiguration && !update.thingGroupIndexingConfiguration)
    throw new InvalidRequestException(
      'Give thingIndexingConfiguration, thingGroupIndexingConfiguration or both: there is nothing to update',
    );
  return update;
}
