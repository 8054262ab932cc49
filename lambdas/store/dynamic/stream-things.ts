import type { ThingChange } from '../../jobs/dynamic/membership-upkeep';
import { imageOf, type StreamRecordLike } from '../stream-changes';
import { keys } from '../table/keys';
import { versionedThingOf } from './dynamic-group-items';

/** What a dynamic group's upkeep reads of a thing's image: its indexed fields and its version. */
const THING_ATTRIBUTES = [
  'pk',
  'sk',
  'thingName',
  'thingId',
  'thingTypeName',
  'thingGroupNames',
  'attributes',
  'version',
];
const GROUP_ATTRIBUTES = ['pk', 'sk', 'thingGroupName', 'dynamic'];

const isThing = (image: Record<string, unknown> | undefined) =>
  image !== undefined && image.sk === keys.thing('').sk && String(image.pk).startsWith(keys.thingPartition(''));

/** The things a stream batch changed (created, updated, deleted), each as it was and as it is, in order. */
export function readThingChanges(records: readonly StreamRecordLike[]): ThingChange[] {
  const changes: ThingChange[] = [];
  for (const record of records) {
    const before = imageOf(record.dynamodb?.OldImage, THING_ATTRIBUTES);
    const after = imageOf(record.dynamodb?.NewImage, THING_ATTRIBUTES);
    if (!isThing(after ?? before)) continue;
    changes.push({
      ...(before ? { before: versionedThingOf(before) } : {}),
      ...(after ? { after: versionedThingOf(after) } : {}),
    });
  }
  return changes;
}

/**
 * The dynamic groups whose build a stream batch shows under way (created, given a new query, or a step of the build
 * saved): each named once, for the build to go on.
 */
export function readBuildsUnderWay(records: readonly StreamRecordLike[]): string[] {
  const groups = new Set<string>();
  for (const record of records) {
    const after = imageOf(record.dynamodb?.NewImage, GROUP_ATTRIBUTES);
    const status = (after?.dynamic as { status?: string } | undefined)?.status;
    if (after?.sk === keys.thingGroup('').sk && (status === 'BUILDING' || status === 'REBUILDING'))
      groups.add(after.thingGroupName as string);
  }
  return [...groups];
}
