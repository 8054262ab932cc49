import type * as inputs from '../../jobs/fleet/inputs';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { pageRequest } from './management-requests';
import {
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  queryBoolean,
  queryInteger,
  refuseUnsupported,
  requireObject,
  requireString,
  type StringRule,
  VERSION_RULE,
  validateThingName,
} from './validation';

/** Request parsers of the thing registry (iot), with botocore's constraints. */

const ATTRIBUTE_NAME: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9_.,@/:#-]+$/,
  patternText: '[a-zA-Z0-9_.,@/:#-]+',
};
const ATTRIBUTE_VALUE: StringRule = {
  min: 0,
  max: 800,
  pattern: /^[a-zA-Z0-9_.,@/:#=[\]-]*$/,
  patternText: '[a-zA-Z0-9_.,@/:#=[]-]*',
};

/** A thing type's name (botocore's ThingTypeName). */
export const THING_TYPE_NAME: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9:_-]+$/,
  patternText: '[a-zA-Z0-9:_-]+',
};

/** Billing groups, which this service does not have: refused, so nobody believes a thing is in one. */
const refuseBillingGroups = (body: Record<string, unknown>) =>
  refuseUnsupported(body, ['billingGroupName'], 'billing groups are not supported by this service');

/**
 * An attribute payload's attributes, each name and value checked; empty values only where they mean removal
 * (UpdateThing).
 */
export function attributesOf(
  payload: Record<string, unknown> | undefined,
  allowEmptyValues: boolean,
): Record<string, string> | undefined {
  const raw = optionalObject('attributePayload.attributes', payload?.attributes);
  if (!raw) return undefined;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    requireString(`attributePayload.attributes key "${name.slice(0, 140)}"`, name, ATTRIBUTE_NAME);
    if (name === '__proto__')
      throw new InvalidRequestException('attributePayload.attributes key "__proto__": is reserved; use another name');
    const text = requireString(`attributePayload.attributes.${name}`, value, ATTRIBUTE_VALUE);
    if (text === '' && !allowEmptyValues)
      throw new InvalidRequestException(`attributePayload.attributes.${name}: must not be empty`);
    attributes[name] = text;
  }
  return attributes;
}

export function parseCreateThing(raw: RawRequest): inputs.CreateThingInput {
  const body = requireObject('request body', raw.body ?? {});
  refuseBillingGroups(body);
  const attributes = attributesOf(optionalObject('attributePayload', body.attributePayload), false) ?? {};
  const thingTypeName = optionalString('thingTypeName', body.thingTypeName, THING_TYPE_NAME);
  return {
    thingName: validateThingName(raw.path.thingName),
    attributes,
    ...(thingTypeName !== undefined ? { thingTypeName } : {}),
  };
}

export const parseThingName = (raw: RawRequest): inputs.ThingNameInput => ({
  thingName: validateThingName(raw.path.thingName),
});

export function parseListThings(raw: RawRequest): inputs.ListThingsInput {
  const name = optionalString('attributeName', raw.query.attributeName, ATTRIBUTE_NAME);
  const value = optionalString('attributeValue', raw.query.attributeValue, ATTRIBUTE_VALUE);
  if ((name === undefined) !== (value === undefined))
    throw new InvalidRequestException('attributeName and attributeValue: give both, or neither');
  const usePrefix = queryBoolean('usePrefixAttributeValue', raw.query.usePrefixAttributeValue) ?? false;
  const thingTypeName = optionalString('thingTypeName', raw.query.thingTypeName, THING_TYPE_NAME);
  return {
    ...pageRequest(raw),
    ...(name !== undefined && value !== undefined ? { attributeFilter: { name, value, usePrefix } } : {}),
    ...(thingTypeName !== undefined ? { thingTypeName } : {}),
  };
}

export function parseUpdateThing(raw: RawRequest): inputs.UpdateThingInput {
  const body = requireObject('request body', raw.body ?? {});
  const payload = optionalObject('attributePayload', body.attributePayload);
  const attributes = attributesOf(payload, true);
  const expectedVersion = optionalInteger('expectedVersion', body.expectedVersion, VERSION_RULE);
  const merge = optionalBoolean('attributePayload.merge', payload?.merge) ?? false;
  const thingTypeName = optionalString('thingTypeName', body.thingTypeName, THING_TYPE_NAME);
  const removeThingType = optionalBoolean('removeThingType', body.removeThingType) ?? false;
  if (removeThingType && thingTypeName !== undefined)
    throw new InvalidRequestException(
      'thingTypeName and removeThingType: give a new type, or remove the type, not both',
    );
  // How many attributes the thing may have depends on the type it ends with: the rules count them.
  return {
    thingName: validateThingName(raw.path.thingName),
    ...(attributes ? { attributes } : {}),
    merge,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    ...(thingTypeName !== undefined ? { thingTypeName } : {}),
    removeThingType,
  };
}

export function parseDeleteThing(raw: RawRequest): inputs.DeleteThingInput {
  const expectedVersion = queryInteger('expectedVersion', raw.query.expectedVersion, VERSION_RULE);
  return {
    thingName: validateThingName(raw.path.thingName),
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
}
