import type {
  CreateDynamicThingGroupInput,
  DynamicQueryInput,
  UpdateDynamicThingGroupInput,
} from '../../jobs/dynamic/dynamic-thing-groups';
import type { SearchIndexInput } from '../../jobs/index/fleet-index';
import type { IndexingConfigurationUpdate } from '../../jobs/index/indexing-configuration';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { NEXT_TOKEN } from './management-requests';
import { parseCreateThingGroup, parseUpdateThingGroup } from './thing-group-requests';
import {
  type IntegerRule,
  optionalInteger,
  optionalObject,
  optionalString,
  refuseUnsupported,
  requireObject,
  requireOneOf,
  requireString,
  type StringRule,
} from './validation';

/** Request parsers of fleet indexing (iot), with botocore's shapes. */

/** A mode AWS offers that this service does not: refused with why, never stored as if it held. */
function refuseMode(field: string, given: string | undefined, refused: string, why: string): void {
  if (given === refused) throw new InvalidRequestException(`${field}: ${refused} ${why}`);
}

const NO_SHADOWS = 'is not offered: this service keeps no device shadows, so it indexes the registry only';
const NO_FIELDS = 'is not offered: the registry fields are indexed as AWS manages them, and no custom field is';

function thingIndexing(raw: Record<string, unknown>): IndexingConfigurationUpdate['thingIndexingConfiguration'] {
  const mode = requireOneOf('thingIndexingConfiguration.thingIndexingMode', raw.thingIndexingMode, [
    'OFF',
    'REGISTRY',
    'REGISTRY_AND_SHADOW',
  ]);
  refuseMode('thingIndexingConfiguration.thingIndexingMode', mode, 'REGISTRY_AND_SHADOW', NO_SHADOWS);
  const optionalMode = (name: string, allowed: string[]) =>
    raw[name] === undefined || raw[name] === null
      ? undefined
      : requireOneOf(`thingIndexingConfiguration.${name}`, raw[name], allowed);
  // STATUS is taken where connectivity can be known (the rules check that: indexing-configuration.ts).
  const connectivity = optionalMode('thingConnectivityIndexingMode', ['OFF', 'STATUS']) ?? 'OFF';
  refuseMode(
    'thingIndexingConfiguration.namedShadowIndexingMode',
    optionalMode('namedShadowIndexingMode', ['OFF', 'ON']),
    'ON',
    NO_SHADOWS,
  );
  refuseMode(
    'thingIndexingConfiguration.deviceDefenderIndexingMode',
    optionalMode('deviceDefenderIndexingMode', ['OFF', 'VIOLATIONS']),
    'VIOLATIONS',
    'is not offered: this service has no Device Defender',
  );
  refuseUnsupported(raw, ['customFields', 'managedFields'], NO_FIELDS);
  refuseUnsupported(raw, ['filter'], NO_SHADOWS);
  return {
    thingIndexingMode: mode as 'OFF' | 'REGISTRY',
    thingConnectivityIndexingMode: connectivity as 'OFF' | 'STATUS',
  };
}

function groupIndexing(raw: Record<string, unknown>): IndexingConfigurationUpdate['thingGroupIndexingConfiguration'] {
  const mode = requireOneOf('thingGroupIndexingConfiguration.thingGroupIndexingMode', raw.thingGroupIndexingMode, [
    'OFF',
    'ON',
  ]);
  refuseUnsupported(raw, ['customFields', 'managedFields'], NO_FIELDS);
  return { thingGroupIndexingMode: mode };
}

export function parseUpdateIndexingConfiguration(raw: RawRequest): IndexingConfigurationUpdate {
  const body = requireObject('request body', raw.body ?? {});
  const things = optionalObject('thingIndexingConfiguration', body.thingIndexingConfiguration);
  const groups = optionalObject('thingGroupIndexingConfiguration', body.thingGroupIndexingConfiguration);
  return {
    ...(things ? { thingIndexingConfiguration: thingIndexing(things) } : {}),
    ...(groups ? { thingGroupIndexingConfiguration: groupIndexing(groups) } : {}),
  };
}

const INDEX_NAME: StringRule = { min: 1, max: 128, pattern: /^[a-zA-Z0-9:_-]+$/, patternText: '[a-zA-Z0-9:_-]+' };
const QUERY_STRING: StringRule = { min: 1, max: 2048, pattern: /^[^\p{Cc}]*$/u, patternText: 'no control characters' };
/** The one query version AWS has. */
const QUERY_VERSION = '2017-09-30';
const SEARCH_MAX_RESULTS: IntegerRule = { min: 1, max: 500 };
const SEARCH_DEFAULT_MAX_RESULTS = 100;

export function parseSearchIndex(raw: RawRequest): SearchIndexInput {
  const body = requireObject('request body', raw.body ?? {});
  const indexName = optionalString('indexName', body.indexName, INDEX_NAME);
  const queryString = requireString('queryString', body.queryString, QUERY_STRING);
  const queryVersion = optionalString('queryVersion', body.queryVersion, QUERY_STRING);
  if (queryVersion !== undefined && queryVersion !== QUERY_VERSION)
    throw new InvalidRequestException(`queryVersion: must be ${QUERY_VERSION}, the one query version there is`);
  const nextToken = optionalString('nextToken', body.nextToken, NEXT_TOKEN);
  return {
    ...(indexName !== undefined ? { indexName } : {}),
    queryString,
    maxResults: optionalInteger('maxResults', body.maxResults, SEARCH_MAX_RESULTS) ?? SEARCH_DEFAULT_MAX_RESULTS,
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

/** A dynamic group's query fields; the version is checked with the rules (the one AWS has, or refused). */
function queryFields(body: Record<string, unknown>): Partial<DynamicQueryInput> {
  const queryString = optionalString('queryString', body.queryString, QUERY_STRING);
  const indexName = optionalString('indexName', body.indexName, INDEX_NAME);
  const queryVersion = optionalString('queryVersion', body.queryVersion, QUERY_STRING);
  return {
    ...(queryString !== undefined ? { queryString } : {}),
    ...(indexName !== undefined ? { indexName } : {}),
    ...(queryVersion !== undefined ? { queryVersion } : {}),
  };
}

/** CreateDynamicThingGroup: a static group's fields but a parent (a dynamic group is in no tree), and its query. */
export function parseCreateDynamicThingGroup(raw: RawRequest): CreateDynamicThingGroupInput {
  const body = requireObject('request body', raw.body ?? {});
  const { parentGroupName: _none, ...group } = parseCreateThingGroup({
    ...raw,
    body: { ...body, parentGroupName: null },
  });
  return { ...group, ...queryFields(body), queryString: requireString('queryString', body.queryString, QUERY_STRING) };
}

/** UpdateDynamicThingGroup: thingGroupProperties required (botocore); a query given replaces the group's. */
export function parseUpdateDynamicThingGroup(raw: RawRequest): UpdateDynamicThingGroupInput {
  return { ...parseUpdateThingGroup(raw), ...queryFields(requireObject('request body', raw.body ?? {})) };
}
