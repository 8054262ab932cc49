import { beforeEach, describe, expect, it } from 'vitest';
import { updateThingGroupsForThing } from '../../lambdas/jobs/fleet/group-changes/thing-groups-for-thing';
import type { ThingGroupStore } from '../../lambdas/jobs/fleet/store';
import {
  InvalidRequestException,
  ResourceNotFoundException,
  VersionConflictException,
} from '../../lambdas/jobs/shared/errors';
import { createServices } from '../support/services';

/** UpdateThingGroup and UpdateThingGroupsForThing on DynamoDB Local: racing, and stopped part-way. */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

beforeEach(async () => {
  s = await createServices({ implicitThings: false });
  await s.services.registry.createThing({ thingName: 'mover', attributes: {} });
});

const groups = () => s.services.groups;
const create = (thingGroupName: string, parentGroupName?: string) =>
  groups().createThingGroup({ thingGroupName, attributes: {}, ...(parentGroupName ? { parentGroupName } : {}) });
const groupsOf = async (thingName = 'mover') =>
  ((await groups().listThingGroupsForThing({ thingName, maxResults: 50 })).thingGroups ?? [])
    .map((g) => g.groupName)
    .sort();
const move = (thingGroupsToAdd: string[], thingGroupsToRemove: string[] = []) =>
  groups().updateThingGroupsForThing({ thingName: 'mover', thingGroupsToAdd, thingGroupsToRemove });

describe('UpdateThingGroup', () => {
  it('applies every one of racing merges, one version each', async () => {
    await create('merged');
    // Four: each round of reads and writes lets one through, and an update reads and writes five times at most.
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        groups().updateThingGroup({ thingGroupName: 'merged', attributes: { [`k${i}`]: `${i}` }, merge: true }),
      ),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const described = await groups().describeThingGroup({ thingGroupName: 'merged' });
    expect(described.version).toBe(5);
    expect(Object.keys(described.thingGroupProperties.attributePayload?.attributes ?? {}).sort()).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
    ]);
  });

  it('lets one of racing updates that expect the same version through', async () => {
    await create('expected');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        groups().updateThingGroup({
          thingGroupName: 'expected',
          description: `d${i}`,
          merge: false,
          expectedVersion: 1,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictException);
    expect((await groups().describeThingGroup({ thingGroupName: 'expected' })).version).toBe(2);
  });

  it('is refused on a group DeleteThingGroup has marked, and its write checks the version read', async () => {
    await create('marked');
    const store = s.stores.thingGroups;
    const group = (await store.getGroup('marked'))!;
    expect((await store.updateGroup(group, { attributes: { a: '1' } }, 1)).applied).toBe(true);
    const stale = await store.updateGroup(group, { attributes: {} }, 1);
    expect(stale).toMatchObject({ applied: false, current: { version: 2, attributes: { a: '1' } } });
    await store.markDeleting({ ...group, version: 2 }, undefined, 1);
    expect((await store.updateGroup(group, { attributes: {} }, 2)).applied).toBe(false);
    await expect(groups().updateThingGroup({ thingGroupName: 'marked', merge: false })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('UpdateThingGroupsForThing', () => {
  it('leaves before it joins: a move within a tree, and a tenth group for one it leaves', async () => {
    await create('root');
    await create('a', 'root');
    await create('b', 'root');
    await move(['a']);
    await move(['b'], ['a']);
    expect(await groupsOf()).toEqual(['b']);
    await expect(move(['root'])).rejects.toBeInstanceOf(InvalidRequestException);
    expect(await groupsOf()).toEqual(['b']);
  });

  it('stopped part-way (a group deleted between its check and its write): what it did stays, the error says what was refused, and the call again finishes it', async () => {
    await create('old');
    await create('doomed');
    await create('spare');
    await move(['old']);
    const store = s.stores.thingGroups;
    // A DeleteThingGroup of `doomed` that begins after the call's checks and before its add.
    const racing: Pick<ThingGroupStore, 'getGroup' | 'groupPathsOf' | 'addMember' | 'removeMember'> = {
      getGroup: (name) => store.getGroup(name),
      groupPathsOf: (thing) => store.groupPathsOf(thing),
      removeMember: (group, thing) => store.removeMember(group, thing),
      addMember: async (group, thing, now) => {
        if (group.thingGroupName === 'doomed') await groups().deleteThingGroup({ thingGroupName: 'doomed' });
        return store.addMember(group, thing, now);
      },
    };
    const input = { thingName: 'mover', thingGroupsToAdd: ['spare', 'doomed'], thingGroupsToRemove: ['old'] };
    const error = await updateThingGroupsForThing(racing, s.stores.things, s.clock, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toContain('doomed');
    // The removal and the add before the refused one stay; the thing is in no deleted group.
    expect(await groupsOf()).toEqual(['spare']);
    // Sent again (without the group that is gone), it finishes: nothing left to do is no error.
    await move(['spare'], ['old']);
    expect(await groupsOf()).toEqual(['spare']);
  });

  it('never leaves a thing in a group deleted while it was being added', async () => {
    for (let round = 0; round < 6; round++) {
      await create(`gone-${round}`);
      const results = await Promise.allSettled([
        move([`gone-${round}`]),
        groups().deleteThingGroup({ thingGroupName: `gone-${round}` }),
      ]);
      expect(results[1]!.status).toBe('fulfilled');
      expect(await groupsOf()).not.toContain(`gone-${round}`);
    }
  });
});

describe('DynamoDB calls (docs/data-model.md)', () => {
  const callsOf = async (run: () => Promise<unknown>) => {
    const before = s.table.commands.length;
    await run();
    return s.table.commands.slice(before);
  };

  it('UpdateThingGroup: 1 GetItem + 1 UpdateItem', async () => {
    await create('counted');
    expect(await callsOf(() => groups().updateThingGroup({ thingGroupName: 'counted', merge: false }))).toEqual([
      'GetItem',
      'UpdateItem',
    ]);
  });

  it('UpdateThingGroupsForThing: GetItems (the thing, each group) + 1 Query, then 1 TransactWriteItems per group', async () => {
    await create('from');
    await create('to');
    await move(['from']);
    const calls = await callsOf(() => move(['to'], ['from']));
    expect(calls.slice(0, 4).sort()).toEqual(['GetItem', 'GetItem', 'GetItem', 'Query']);
    expect(calls.slice(4)).toEqual(['TransactWriteItems', 'TransactWriteItems']);
  });

  it('ListThingGroups of a subtree: 1 GetItem (the parent) + 1 Query', async () => {
    await create('top');
    await create('below', 'top');
    await create('further', 'below');
    const calls = await callsOf(() => groups().listThingGroups({ parentGroup: 'top', maxResults: 10 }));
    expect(calls).toEqual(['GetItem', 'Query']);
  });
});
