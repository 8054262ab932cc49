import type { ThingRecord } from './thing';

/** DescribeThing's answer (botocore's DescribeThingResponse). */
export const toThingView = (thing: ThingRecord) => ({
  defaultClientId: thing.thingName,
  thingName: thing.thingName,
  thingId: thing.thingId,
  thingArn: thing.thingArn,
  attributes: thing.attributes,
  version: thing.version,
});

/** One of ListThings' `things` (ThingAttribute). */
export const toThingAttributeView = (thing: ThingRecord) => ({
  thingName: thing.thingName,
  thingArn: thing.thingArn,
  attributes: thing.attributes,
  version: thing.version,
});
