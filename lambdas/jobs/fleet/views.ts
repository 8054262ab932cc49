import type { ThingRecord } from './thing';
import type { ThingGroupRecord } from './thing-group';

/** DescribeThing's answer (botocore's DescribeThingResponse). */
export const toThingView = (thing: ThingRecord) => ({
  defaultClientId: thing.thingName,
  thingName: thing.thingName,
  thingId: thing.thingId,
  thingArn: thing.thingArn,
  ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
  attributes: thing.attributes,
  version: thing.version,
});

/** One of ListThings' `things` (ThingAttribute). */
export const toThingAttributeView = (thing: ThingRecord) => ({
  thingName: thing.thingName,
  ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
  thingArn: thing.thingArn,
  attributes: thing.attributes,
  version: thing.version,
});

/** DescribeThingGroup's answer (botocore's DescribeThingGroupResponse). */
export const toThingGroupView = (group: ThingGroupRecord) => ({
  thingGroupName: group.thingGroupName,
  thingGroupId: group.thingGroupId,
  thingGroupArn: group.thingGroupArn,
  version: group.version,
  // As AWS answers: a group with no description or attributes has empty properties, and a root group no parent and no
  // rootToParentThingGroups at all.
  thingGroupProperties: {
    ...(group.description !== undefined ? { thingGroupDescription: group.description } : {}),
    ...(Object.keys(group.attributes).length ? { attributePayload: { attributes: group.attributes } } : {}),
  },
  thingGroupMetadata: {
    ...(group.parentGroupName !== undefined ? { parentGroupName: group.parentGroupName } : {}),
    ...(group.ancestors.length ? { rootToParentThingGroups: group.ancestors } : {}),
    creationDate: group.createdAt / 1000,
  },
  // A dynamic group's query, and where the build of its membership stands.
  ...(group.dynamic
    ? {
        indexName: group.dynamic.indexName,
        queryString: group.dynamic.queryString,
        queryVersion: group.dynamic.queryVersion,
        status: group.dynamic.status,
      }
    : {}),
});
