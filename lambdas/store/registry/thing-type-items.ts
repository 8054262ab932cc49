import type { ThingTypeProperties, ThingTypeRecord } from '../../jobs/fleet/types/thing-type';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import type { DeleteParams, Item, PutParams, QueryParams, UpdateParams } from '../table/table-params';

/** The items of thing types, and the request of each of their writes and reads, built without sending anything. */

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;

/**
 * A type's properties as attributes of its item, one each (UpdateThingType sets those it names): the description as
 * it is, the searchable attributes and the MQTT 5 configuration as their JSON text, so that what was given comes back
 * as given, empty lists and all (DynamoDB Streams readers trip over empty values).
 */
function propertyAttributes(properties: ThingTypeProperties): Item {
  return {
    ...(properties.thingTypeDescription !== undefined ? { description: properties.thingTypeDescription } : {}),
    ...(properties.searchableAttributes !== undefined
      ? { searchableAttributes: JSON.stringify(properties.searchableAttributes) }
      : {}),
    ...(properties.mqtt5Configuration !== undefined
      ? { mqtt5Configuration: JSON.stringify(properties.mqtt5Configuration) }
      : {}),
  };
}

export function toThingTypeItem(type: ThingTypeRecord): Item {
  const { properties, ...rest } = type;
  return {
    ...keys.thingType(type.thingTypeName),
    ...rest,
    ...propertyAttributes(properties),
    [LIST]: keys.thingTypeList,
    [LIST_KEY]: type.thingTypeName,
  };
}

export function fromThingTypeItem(item: Item): ThingTypeRecord {
  return {
    thingTypeName: item.thingTypeName as string,
    thingTypeId: item.thingTypeId as string,
    thingTypeArn: item.thingTypeArn as string,
    properties: {
      ...(item.description !== undefined ? { thingTypeDescription: item.description as string } : {}),
      ...(item.searchableAttributes !== undefined
        ? { searchableAttributes: JSON.parse(item.searchableAttributes as string) }
        : {}),
      ...(item.mqtt5Configuration !== undefined
        ? { mqtt5Configuration: JSON.parse(item.mqtt5Configuration as string) }
        : {}),
    },
    createdAt: item.createdAt as number,
    ...(item.deprecatedAt !== undefined ? { deprecatedAt: item.deprecatedAt as number } : {}),
    thingCount: (item.thingCount as number | undefined) ?? 0,
  };
}

/** A new type: only if no type of that name exists. */
export const createThingTypeParams = (type: ThingTypeRecord): PutParams => ({
  Item: toThingTypeItem(type),
  ConditionExpression: CONDITION.absent,
});

/**
 * Deprecated as of `now`, keeping the first date of a type deprecated already (so deprecating again does not restart
 * the 5 minutes before it may be deleted); `now` undefined: no longer deprecated. Only an existing type.
 */
export function setDeprecatedParams(thingTypeName: string, now: number | undefined): UpdateParams {
  return {
    Key: keys.thingType(thingTypeName),
    UpdateExpression:
      now === undefined ? 'REMOVE deprecatedAt' : 'SET deprecatedAt = if_not_exists(deprecatedAt, :now)',
    ConditionExpression: CONDITION.exists,
    ...(now === undefined ? {} : { ExpressionAttributeValues: { ':now': now } }),
  };
}

/** The properties given replace the type's, the others stay; only an existing type. */
export function updatePropertiesParams(thingTypeName: string, properties: ThingTypeProperties): UpdateParams {
  const attributes = Object.entries(propertyAttributes(properties));
  // An update that names no property changes nothing, yet still says whether the type exists.
  if (!attributes.length)
    return {
      Key: keys.thingType(thingTypeName),
      UpdateExpression: 'SET thingTypeName = thingTypeName',
      ConditionExpression: CONDITION.exists,
    };
  return {
    Key: keys.thingType(thingTypeName),
    UpdateExpression: `SET ${attributes.map(([name]) => `${name} = :${name}`).join(', ')}`,
    ConditionExpression: CONDITION.exists,
    ExpressionAttributeValues: Object.fromEntries(attributes.map(([name, value]) => [`:${name}`, value])),
  };
}

/**
 * The type may go: deprecated at or before the cutoff (5 minutes before now) and no thing of it left. The count moves
 * in the same writes that give or take a thing the type, so no thing keeps a type that is gone.
 */
const DELETABLE_TYPE =
  `${CONDITION.exists} AND deprecatedAt <= :deprecatedBy AND ` +
  '(attribute_not_exists(thingCount) OR thingCount <= :none)';

export const deleteThingTypeParams = (thingTypeName: string, deprecatedBy: number): DeleteParams => ({
  Key: keys.thingType(thingTypeName),
  ConditionExpression: DELETABLE_TYPE,
  ExpressionAttributeValues: { ':deprecatedBy': deprecatedBy, ':none': 0 },
});

/** The types' list in the registry index, by name; with a prefix, the names that start with it. */
export const thingTypeListQuery = (namePrefix: string | undefined): QueryParams => ({
  IndexName: INDEX,
  KeyConditionExpression: `${LIST} = :list${namePrefix !== undefined ? ` AND begins_with(${LIST_KEY}, :prefix)` : ''}`,
  ExpressionAttributeValues: {
    ':list': keys.thingTypeList,
    ...(namePrefix !== undefined ? { ':prefix': namePrefix } : {}),
  },
});

export const thingTypeListPageKey: PageKeyShape = {
  attributes: [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.thingTypeList }),
};
