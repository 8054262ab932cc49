import { randomUUID } from 'node:crypto';
import { DynamicThingGroups } from './jobs/dynamic/dynamic-thing-groups';
import { DynamicMembershipUpkeep } from './jobs/dynamic/membership-upkeep';
import type { ArnContext } from './jobs/shared/arns';
import type { Clock } from './jobs/shared/clock';
import type { Stores } from './runtime-stores';
import { readBuildsUnderWay, readThingChanges } from './store/dynamic/stream-things';
import type { StreamRecordLike } from './store/stream-changes';

/** Dynamic thing groups' services, composed beside the others (runtime.ts). */
export function dynamicGroupServices(stores: Stores, arns: ArnContext, clock: Clock) {
  const upkeep = new DynamicMembershipUpkeep(stores.dynamicGroups, (name) => stores.thingGroups.getGroup(name), clock);
  return {
    dynamicGroups: new DynamicThingGroups(
      stores.dynamicGroups,
      stores.thingGroups,
      stores.indexing,
      arns,
      clock,
      randomUUID,
    ),
    /**
     * A stream batch's changes of things followed into the dynamic groups, and the builds it shows under way carried
     * on, before the batch's membership reactions (what this writes comes back on the stream to them). Safe to give a batch again: every write holds only where the membership is not what the query says yet.
     */
    keepDynamicGroups: async (records: readonly StreamRecordLike[]): Promise<void> => {
      await upkeep.followThings(readThingChanges(records));
      for (const group of readBuildsUnderWay(records)) await upkeep.build(group);
    },
  };
}
