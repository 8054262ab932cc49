import type { ThingTypeRecord } from './thing-type';

/** ThingTypeMetadata: dates in seconds, as restJson1 timestamps go. */
const metadataOf = (type: ThingTypeRecord) => ({
  deprecated: type.deprecatedAt !== undefined,
  ...(type.deprecatedAt !== undefined ? { deprecationDate: type.deprecatedAt / 1000 } : {}),
  creationDate: type.createdAt / 1000,
});

/** DescribeThingType's answer (botocore's DescribeThingTypeResponse). */
export const toThingTypeView = (type: ThingTypeRecord) => ({
  thingTypeName: type.thingTypeName,
  thingTypeId: type.thingTypeId,
  thingTypeArn: type.thingTypeArn,
  thingTypeProperties: type.properties,
  thingTypeMetadata: metadataOf(type),
});

/** One of ListThingTypes' `thingTypes` (ThingTypeDefinition: no thingTypeId). */
export const toThingTypeDefinition = (type: ThingTypeRecord) => ({
  thingTypeName: type.thingTypeName,
  thingTypeArn: type.thingTypeArn,
  thingTypeProperties: type.properties,
  thingTypeMetadata: metadataOf(type),
});
