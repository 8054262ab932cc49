import { describe, expect, it } from 'vitest';
import { checkedThingQuery } from '../../lambdas/jobs/dynamic/dynamic-thing-groups';
import type { ThingConnectivity } from '../../lambdas/jobs/index/connectivity';
import {
  checkIndexingUpdate,
  type IndexingConfigurationUpdate,
  isConnectivityOn,
} from '../../lambdas/jobs/index/indexing-configuration';
import { parseIndexQuery } from '../../lambdas/jobs/index/query-parser';
import {
  checkConnectivityIndexed,
  checkThingFields,
  matchesThing,
  type ThingDocumentFields,
} from '../../lambdas/jobs/index/thing-matcher';
import { InvalidQueryException, InvalidRequestException } from '../../lambdas/jobs/shared/errors';

/** Connectivity in the things index: its fields in queries, and the configuration's rules. */
const thing = (thingName: string, connectivity: ThingConnectivity): ThingDocumentFields => ({
  thingName,
  thingId: `id-${thingName}`,
  thingGroupNames: [],
  attributes: { state: 'true' },
  connectivity,
});

const FLEET: ThingDocumentFields[] = [
  thing('on-1', { connected: true, timestamp: 1_700_000_000_000 }),
  thing('on-2', { connected: true, timestamp: 1_700_000_500_000 }),
  thing('off-1', { connected: false, timestamp: 1_700_000_200_000, disconnectReason: 'CLIENT_INITIATED_DISCONNECT' }),
  thing('off-2', { connected: false, timestamp: 1_700_000_900_000, disconnectReason: 'CONNECTION_LOST' }),
  thing('never', { connected: false }),
];

const search = (queryString: string) =>
  FLEET.filter((t) => matchesThing(checkThingFields(parseIndexQuery(queryString), true), t)).map((t) => t.thingName);

describe('the connectivity fields', () => {
  it.each([
    ['connectivity.connected:true', ['on-1', 'on-2']],
    ['connectivity.connected:false', ['off-1', 'off-2', 'never']],
    ['NOT connectivity.connected:true', ['off-1', 'off-2', 'never']],
    ['connectivity.timestamp:*', ['on-1', 'on-2', 'off-1', 'off-2']],
    ['connectivity.timestamp>1700000200000', ['on-2', 'off-2']],
    ['connectivity.timestamp>=1700000200000', ['on-2', 'off-1', 'off-2']],
    ['connectivity.timestamp:[1700000000000 TO 1700000500000]', ['on-1', 'on-2', 'off-1']],
    ['connectivity.timestamp:{1700000000000 TO 1700000500000}', ['off-1']],
    ['connectivity.disconnectReason:CONNECTION_LOST', ['off-2']],
    ['connectivity.disconnectReason:CLIENT_*', ['off-1']],
    ['connectivity.disconnectReason:connection_lost', []],
    ['connectivity.disconnectReason:*', ['off-1', 'off-2']],
    ['connectivity.connected:false AND connectivity.disconnectReason:*', ['off-1', 'off-2']],
    ['connectivity.connected:true OR thingName:never', ['on-1', 'on-2', 'never']],
    // A bare term looks at the registry's fields, not at connectivity's values.
    ['CONNECTION_LOST', []],
    ['true', ['on-1', 'on-2', 'off-1', 'off-2', 'never']],
  ])('%s', (query, names) => expect(search(query)).toEqual(names));

  it('are fields of SearchIndex only where connectivity is indexed, refused by name otherwise', () => {
    const query = parseIndexQuery('thingName:a AND connectivity.connected:true');
    expect(() => checkConnectivityIndexed(query, true)).not.toThrow();
    expect(() => checkConnectivityIndexed(query, false)).toThrow(InvalidQueryException);
    expect(() => checkConnectivityIndexed(query, false)).toThrow(/connectivity.connected is not indexed.*STATUS/);
    expect(() => checkConnectivityIndexed(parseIndexQuery('thingName:a'), false)).not.toThrow();
    expect(() => checkThingFields(parseIndexQuery('connectivity.other:1'), true)).toThrow(InvalidQueryException);
  });

  it('are refused in a dynamic group, whose upkeep follows the registry only', () => {
    expect(() => checkedThingQuery('connectivity.connected:false')).toThrow(InvalidQueryException);
    expect(() => checkedThingQuery('connectivity.connected:false')).toThrow(/dynamic thing group on connectivity/);
  });
});

describe('turning connectivity on', () => {
  const things = (thingIndexingMode: 'OFF' | 'REGISTRY', thingConnectivityIndexingMode: 'OFF' | 'STATUS') =>
    ({
      thingIndexingConfiguration: { thingIndexingMode, thingConnectivityIndexingMode },
    }) as IndexingConfigurationUpdate;

  it.each([
    ['REGISTRY + STATUS, with the broker', things('REGISTRY', 'STATUS'), 'local-mqtt-broker', undefined],
    ['REGISTRY + OFF, deployed', things('REGISTRY', 'OFF'), 'none', undefined],
    ['OFF + OFF, deployed', things('OFF', 'OFF'), 'none', undefined],
    [
      'OFF + STATUS (AWS: the things index must be on)',
      things('OFF', 'STATUS'),
      'local-mqtt-broker',
      /REGISTRY, not OFF/,
    ],
    [
      'REGISTRY + STATUS, deployed (no broker sees connections)',
      things('REGISTRY', 'STATUS'),
      'none',
      /no MQTT broker/,
    ],
  ] as const)('%s', (_name, update, source, refusal) => {
    if (refusal) expect(() => checkIndexingUpdate(update, source)).toThrow(InvalidRequestException);
    if (refusal) expect(() => checkIndexingUpdate(update, source)).toThrow(refusal);
    else expect(checkIndexingUpdate(update, source)).toBe(update);
  });

  it('is on only with the things index on', () => {
    const groups = { thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'OFF' as const } };
    expect(isConnectivityOn({ ...things('REGISTRY', 'STATUS'), ...groups } as never)).toBe(true);
    expect(isConnectivityOn({ ...things('OFF', 'STATUS'), ...groups } as never)).toBe(false);
    expect(isConnectivityOn({ ...things('REGISTRY', 'OFF'), ...groups } as never)).toBe(false);
  });
});
