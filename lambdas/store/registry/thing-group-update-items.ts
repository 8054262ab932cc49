import type { ThingGroupRecord } from '../../jobs/fleet/thing-group';
import { keys } from '../table/keys';
import type { UpdateParams } from '../table/table-params';
import { LIVE_GROUP } from './thing-group-items';

/**
 * UpdateThingGroup's write: the description and attributes replaced (left out when there are none) and the version one
 * more, only while it is the group read, not being deleted, and still at the version the update was worked out from.
 */
export function updateGroupParams(
  group: ThingGroupRecord,
  properties: Pick<ThingGroupRecord, 'description' | 'attributes'>,
  seenVersion: number,
): UpdateParams {
  const set = ['version = version + :one'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':one': 1, ':groupId': group.thingGroupId, ':seen': seenVersion };
  if (properties.description !== undefined) {
    set.push('description = :description');
    values[':description'] = properties.description;
  } else remove.push('description');
  // Empty maps are left out, as at creation.
  if (Object.keys(properties.attributes).length) {
    set.push('attributes = :attributes');
    values[':attributes'] = properties.attributes;
  } else remove.push('attributes');
  return {
    Key: keys.thingGroup(group.thingGroupName),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: `${LIVE_GROUP} AND version = :seen`,
    ExpressionAttributeValues: values,
  };
}
