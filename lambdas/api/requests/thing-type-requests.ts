import type { PropagatingAttribute, ThingTypeProperties } from '../../jobs/fleet/types/thing-type';
import { MAX_SEARCHABLE_ATTRIBUTES } from '../../jobs/fleet/types/thing-type';
import type * as inputs from '../../jobs/fleet/types/thing-types';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { pageRequest } from './management-requests';
import { THING_TYPE_NAME } from './thing-requests';
import {
  optionalBoolean,
  optionalObject,
  optionalString,
  refuseUnsupported,
  requireObject,
  requireString,
  type StringRule,
} from './validation';

/** Request parsers of thing types (iot), with botocore's constraints. */

/** botocore's [\p{Graph}\x20]*: visible characters and the space (JavaScript has no \p{Graph}: its classes here). */
const DESCRIPTION: StringRule = {
  min: 0,
  max: 2028,
  pattern: /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u,
  patternText: 'visible characters and spaces',
};
const ATTRIBUTE_NAME: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9_.,@/:#-]+$/,
  patternText: '[a-zA-Z0-9_.,@/:#-]+',
};
const USER_PROPERTY_KEY: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9:$.]+$/,
  patternText: '[a-zA-Z0-9:$.]+',
};
const CONNECTION_ATTRIBUTE: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9:.]+$/,
  patternText: '[a-zA-Z0-9:.]+',
};
/** A bound of our own on a list the model leaves open: a type's item stays far below DynamoDB's 400 KB. */
const MAX_PROPAGATING_ATTRIBUTES = 100;

const typeName = (raw: RawRequest) => requireString('thingTypeName', raw.path.thingTypeName, THING_TYPE_NAME);

function optionalList(field: string, value: unknown, max: number): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new InvalidRequestException(`${field}: must be a list`);
  if (value.length > max) throw new InvalidRequestException(`${field}: at most ${max} entries`);
  return value;
}

function propagatingAttribute(field: string, value: unknown): PropagatingAttribute {
  const entry = requireObject(field, value);
  const userPropertyKey = optionalString(`${field}.userPropertyKey`, entry.userPropertyKey, USER_PROPERTY_KEY);
  const thingAttribute = optionalString(`${field}.thingAttribute`, entry.thingAttribute, ATTRIBUTE_NAME);
  const connectionAttribute = optionalString(
    `${field}.connectionAttribute`,
    entry.connectionAttribute,
    CONNECTION_ATTRIBUTE,
  );
  return {
    ...(userPropertyKey !== undefined ? { userPropertyKey } : {}),
    ...(thingAttribute !== undefined ? { thingAttribute } : {}),
    ...(connectionAttribute !== undefined ? { connectionAttribute } : {}),
  };
}

/** thingTypeProperties, each member checked; only those given are kept. */
function propertiesOf(value: unknown): ThingTypeProperties {
  const field = 'thingTypeProperties';
  const body = optionalObject(field, value);
  if (!body) return {};
  const description = optionalString(`${field}.thingTypeDescription`, body.thingTypeDescription, DESCRIPTION);
  const searchable = optionalList(`${field}.searchableAttributes`, body.searchableAttributes, Number.MAX_SAFE_INTEGER);
  // AWS's own words for the limit.
  if (searchable && searchable.length > MAX_SEARCHABLE_ATTRIBUTES)
    throw new InvalidRequestException('Only three searchable attributes are allowed for a thing type.');
  const mqtt5 = optionalObject(`${field}.mqtt5Configuration`, body.mqtt5Configuration);
  const propagating = optionalList(
    `${field}.mqtt5Configuration.propagatingAttributes`,
    mqtt5?.propagatingAttributes,
    MAX_PROPAGATING_ATTRIBUTES,
  );
  return {
    ...(description !== undefined ? { thingTypeDescription: description } : {}),
    ...(searchable
      ? {
          searchableAttributes: searchable.map((name, i) =>
            requireString(`${field}.searchableAttributes[${i}]`, name, ATTRIBUTE_NAME),
          ),
        }
      : {}),
    ...(mqtt5
      ? {
          mqtt5Configuration: propagating
            ? {
                propagatingAttributes: propagating.map((entry, i) =>
                  propagatingAttribute(`${field}.mqtt5Configuration.propagatingAttributes[${i}]`, entry),
                ),
              }
            : {},
        }
      : {}),
  };
}

export function parseCreateThingType(raw: RawRequest): inputs.CreateThingTypeInput {
  const body = requireObject('request body', raw.body ?? {});
  // As the rest of the registry: tags are refused, not dropped.
  refuseUnsupported(body, ['tags']);
  return { thingTypeName: typeName(raw), properties: propertiesOf(body.thingTypeProperties) };
}

export const parseThingTypeName = (raw: RawRequest): inputs.ThingTypeNameInput => ({ thingTypeName: typeName(raw) });

export function parseListThingTypes(raw: RawRequest): inputs.ListThingTypesInput {
  const thingTypeName = optionalString('thingTypeName', raw.query.thingTypeName, THING_TYPE_NAME);
  return { ...pageRequest(raw), ...(thingTypeName !== undefined ? { thingTypeName } : {}) };
}

export function parseDeprecateThingType(raw: RawRequest): inputs.DeprecateThingTypeInput {
  const body = requireObject('request body', raw.body ?? {});
  return {
    thingTypeName: typeName(raw),
    undoDeprecate: optionalBoolean('undoDeprecate', body.undoDeprecate) ?? false,
  };
}

export function parseUpdateThingType(raw: RawRequest): inputs.UpdateThingTypeInput {
  const body = requireObject('request body', raw.body ?? {});
  return { thingTypeName: typeName(raw), properties: propertiesOf(body.thingTypeProperties) };
}
