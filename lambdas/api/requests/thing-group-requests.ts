import type * as inputs from '../../jobs/fleet/inputs';
import { MAX_GROUPS_PER_THING } from '../../jobs/fleet/thing-group';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { pageRequest } from './management-requests';
import { attributesOf } from './thing-requests';
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
  THING_NAME_RULE,
  VERSION_RULE,
  validateThingName,
} from './validation';

/** Request parsers of the static thing groups (iot), with botocore's constraints. */

const GROUP_NAME: StringRule = { min: 1, max: 128, pattern: /^[a-zA-Z0-9:_-]+$/, patternText: '[a-zA-Z0-9:_-]+' };
const GROUP_DESCRIPTION: StringRule = {
  min: 0,
  max: 2028,
  pattern: /^[\p{L}\p{N}\p{P}\p{S} ]*$/u,
  patternText: 'printable characters and spaces',
};
const ARN: StringRule = { min: 1, max: 2048 };
/** AWS's limit of attributes on a thing group. */
const MAX_GROUP_ATTRIBUTES = 50;

const validateGroupName = (field: string, value: unknown) => requireString(field, value, GROUP_NAME);

export function parseCreateThingGroup(raw: RawRequest): inputs.CreateThingGroupInput {
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['tags']);
  const properties = optionalObject('thingGroupProperties', body.thingGroupProperties);
  const description = optionalString(
    'thingGroupProperties.thingGroupDescription',
    properties?.thingGroupDescription,
    GROUP_DESCRIPTION,
  );
  const attributes =
    attributesOf(optionalObject('thingGroupProperties.attributePayload', properties?.attributePayload), false) ?? {};
  if (Object.keys(attributes).length > MAX_GROUP_ATTRIBUTES)
    throw new InvalidRequestException(
      `thingGroupProperties.attributePayload.attributes: at most ${MAX_GROUP_ATTRIBUTES}`,
    );
  const parentGroupName =
    body.parentGroupName === undefined || body.parentGroupName === null
      ? undefined
      : validateGroupName('parentGroupName', body.parentGroupName);
  return {
    thingGroupName: validateGroupName('thingGroupName', raw.path.thingGroupName),
    attributes,
    ...(parentGroupName !== undefined ? { parentGroupName } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** UpdateThingGroup: thingGroupProperties is required (botocore); what it leaves out stays as it is. */
export function parseUpdateThingGroup(raw: RawRequest): inputs.UpdateThingGroupInput {
  const body = requireObject('request body', raw.body ?? {});
  if (body.thingGroupProperties === undefined || body.thingGroupProperties === null)
    throw new InvalidRequestException('thingGroupProperties: is required');
  const properties = requireObject('thingGroupProperties', body.thingGroupProperties);
  const description = optionalString(
    'thingGroupProperties.thingGroupDescription',
    properties.thingGroupDescription,
    GROUP_DESCRIPTION,
  );
  const payload = optionalObject('thingGroupProperties.attributePayload', properties.attributePayload);
  // An empty value removes that attribute (as UpdateThing's).
  const attributes = attributesOf(payload, true);
  if (attributes && Object.keys(attributes).length > MAX_GROUP_ATTRIBUTES)
    throw new InvalidRequestException(
      `thingGroupProperties.attributePayload.attributes: at most ${MAX_GROUP_ATTRIBUTES}`,
    );
  const expectedVersion = optionalInteger('expectedVersion', body.expectedVersion, VERSION_RULE);
  return {
    thingGroupName: validateGroupName('thingGroupName', raw.path.thingGroupName),
    ...(description !== undefined ? { description } : {}),
    ...(attributes ? { attributes } : {}),
    merge: optionalBoolean('thingGroupProperties.attributePayload.merge', payload?.merge) ?? false,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
}

/** A list of group names (botocore sets no length; a thing is in ten groups at most, so more is refused). */
function groupNames(field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidRequestException(`${field}: must be a list of thing group names`);
  if (value.length > MAX_GROUPS_PER_THING)
    throw new InvalidRequestException(`${field}: at most ${MAX_GROUPS_PER_THING}, the groups a thing may be in`);
  return value.map((name, i) => validateGroupName(`${field}[${i}]`, name));
}

export function parseUpdateThingGroupsForThing(raw: RawRequest): inputs.UpdateThingGroupsForThingInput {
  const body = requireObject('request body', raw.body ?? {});
  // Accepted, and without effect: there are no dynamic thing groups here to give way.
  optionalBoolean('overrideDynamicGroups', body.overrideDynamicGroups);
  return {
    thingName: validateThingName(body.thingName),
    thingGroupsToAdd: groupNames('thingGroupsToAdd', body.thingGroupsToAdd),
    thingGroupsToRemove: groupNames('thingGroupsToRemove', body.thingGroupsToRemove),
  };
}

export const parseThingGroupName = (raw: RawRequest): inputs.ThingGroupNameInput => ({
  thingGroupName: validateGroupName('thingGroupName', raw.path.thingGroupName),
});

export function parseListThingGroups(raw: RawRequest): inputs.ListThingGroupsInput {
  const parentGroup = optionalString('parentGroup', raw.query.parentGroup, GROUP_NAME);
  const namePrefix = optionalString('namePrefixFilter', raw.query.namePrefixFilter, GROUP_NAME);
  const recursive = queryBoolean('recursive', raw.query.recursive);
  return {
    ...pageRequest(raw),
    ...(parentGroup !== undefined ? { parentGroup } : {}),
    ...(namePrefix !== undefined ? { namePrefix } : {}),
    ...(recursive !== undefined ? { recursive } : {}),
  };
}

export function parseDeleteThingGroup(raw: RawRequest): inputs.DeleteThingGroupInput {
  const expectedVersion = queryInteger('expectedVersion', raw.query.expectedVersion, VERSION_RULE);
  return {
    thingGroupName: validateGroupName('thingGroupName', raw.path.thingGroupName),
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
}

/** A name, or the name an ARN of `kind` ends in; both given, they must agree. */
function nameOrArn(
  body: Record<string, unknown>,
  nameField: string,
  arnField: string,
  kind: 'thing' | 'thinggroup',
  rule: StringRule,
): { name: string; arn?: string } {
  const name = optionalString(nameField, body[nameField], rule);
  const arn = optionalString(arnField, body[arnField], ARN);
  if (arn === undefined) {
    if (name === undefined) throw new InvalidRequestException(`${nameField} or ${arnField}: one of them is required`);
    return { name };
  }
  const match = new RegExp(`^arn:[a-z-]+:iot:[a-z0-9-]+:\\d{12}:${kind}/([a-zA-Z0-9:_-]{1,128})$`).exec(arn);
  if (!match)
    throw new InvalidRequestException(`${arnField}: must be an ARN of a ${kind === 'thing' ? 'thing' : 'thing group'}`);
  if (name !== undefined && name !== match[1])
    throw new InvalidRequestException(`${nameField} and ${arnField}: name different things`);
  return { name: match[1]!, arn };
}

export function parseMembership(raw: RawRequest): inputs.MembershipInput {
  const body = requireObject('request body', raw.body ?? {});
  optionalBoolean('overrideDynamicGroups', body.overrideDynamicGroups);
  const group = nameOrArn(body, 'thingGroupName', 'thingGroupArn', 'thinggroup', GROUP_NAME);
  const thing = nameOrArn(body, 'thingName', 'thingArn', 'thing', THING_NAME_RULE);
  return {
    thingGroupName: group.name,
    thingName: thing.name,
    ...(group.arn !== undefined ? { thingGroupArn: group.arn } : {}),
    ...(thing.arn !== undefined ? { thingArn: thing.arn } : {}),
  };
}

export function parseListThingsInThingGroup(raw: RawRequest): inputs.ListThingsInThingGroupInput {
  return {
    thingGroupName: validateGroupName('thingGroupName', raw.path.thingGroupName),
    recursive: queryBoolean('recursive', raw.query.recursive) ?? false,
    ...pageRequest(raw),
  };
}

export function parseListThingGroupsForThing(raw: RawRequest): inputs.ListThingGroupsForThingInput {
  return { thingName: validateThingName(raw.path.thingName), ...pageRequest(raw) };
}
