import { InvalidRequestException } from '../shared/errors';

/**
 * Fleet indexing's configuration (GetIndexingConfiguration, UpdateIndexingConfiguration): which indexes exist and what
 * they hold. This service indexes the registry, and connectivity where a broker sees connections (the local runner's):
 * it keeps no shadows and no Device Defender violations, so the modes that would index them are refused by name rather
 * than accepted and left empty.
 */

export type ThingIndexingMode = 'OFF' | 'REGISTRY';
export type ThingGroupIndexingMode = 'OFF' | 'ON';
export type ThingConnectivityIndexingMode = 'OFF' | 'STATUS';

export interface ThingIndexingConfiguration {
  thingIndexingMode: ThingIndexingMode;
  thingConnectivityIndexingMode: ThingConnectivityIndexingMode;
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

export const isConnectivityOn = (config: IndexingConfiguration): boolean =>
  config.thingIndexingConfiguration.thingIndexingMode !== 'OFF' &&
  config.thingIndexingConfiguration.thingConnectivityIndexingMode === 'STATUS';

/**
 * Where connectivity comes from: the local runner's MQTT broker, which sees each connect and disconnect; or nothing
 * (deployed, devices use HTTP and no broker runs), where STATUS is refused rather than every thing answered as never
 * connected.
 */
export type ConnectivitySource = 'local-mqtt-broker' | 'none';

const CONNECTIVITY = 'thingIndexingConfiguration.thingConnectivityIndexingMode';

/** The checks of an update that need the rules, not only the shapes (the request parser checks those). */
export function checkIndexingUpdate(
  update: IndexingConfigurationUpdate,
  source: ConnectivitySource = 'none',
): IndexingConfigurationUpdate {
  if (!update.thingIndexingConfiguration && !update.thingGroupIndexingConfiguration)
    throw new InvalidRequestException(
      'Give thingIndexingConfiguration, thingGroupIndexingConfiguration or both: there is nothing to update',
    );
  const things = update.thingIndexingConfiguration;
  if (things?.thingConnectivityIndexingMode === 'STATUS') {
    // AWS's rule: connectivity is indexed in the things index, so that index must be on.
    if (things.thingIndexingMode === 'OFF')
      throw new InvalidRequestException(`${CONNECTIVITY}: STATUS needs thingIndexingMode REGISTRY, not OFF`);
    if (source === 'none')
      throw new InvalidRequestException(
        `${CONNECTIVITY}: STATUS is not offered here: no MQTT broker runs in this deployment (devices use HTTP), so ` +
          'no connection is seen; the local runner (npm start) records connectivity from its broker',
      );
  }
  return update;
}
