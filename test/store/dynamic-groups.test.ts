import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { DynamicMembershipUpkeep, type ThingChange } from '../../lambdas/jobs/dynamic/membership-upkeep';
import type { DynamicGroupStore, VersionedThing } from '../../lambdas/jobs/dynamic/store';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { keys } from '../../lambdas/store/table/keys';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createServices, executionsOfJob } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let poller: StreamPoller;
/** Off: the stream's batches go to the counts only, and a test drives the dynamic groups' upkeep itself. */
let reacting = true;

/**
 * Dynamic thing groups on DynamoDB Local, with the table's real stream feeding the counts and the membership reactor
 * as the local runner does: a group's build, its upkeep as things change, and the jobs that target it.
 */
beforeEach(async () => {
  s = await createServices({ implicitThings: false });
  reacting = true;
  await s.services.indexing.updateIndexingConfiguration({
    thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' },
  });
  poller = await startStreamPoller({
    endpoint: s.table.endpoint,
    tableName: s.table.tableName,
    intervalMs: 50,
    newTable: true,
    onBatch: async (records) =>
      void (await Promise.all([
        s.services.aggregateCounts(records),
        reacting ? s.services.reactToMemberships(records) : undefined,
      ])),
  });
});

afterEach(async () => {
  await s.workDone();
  await poller.stop();
  s.services.dispose();
  await s.table.drop();
});

/** The worker's part done, and every change since read off the stream, twice over (a build's memberships react too). */
const settled = async () => {
  for (let round = 0; round < 3; round++) {
    await s.workDone();
    await poller.drain();
  }
};
const device = (thingName: string, firmware: string) =>
  s.services.registry.createThing({ thingName, attributes: { firmware } });
const flash = (thingName: string, firmware: string) =>
  s.services.registry.updateThing({ thingName, attributes: { firmware }, merge: true, removeThingType: false });
const dynamicGroup = (thingGroupName: string, queryString: string) =>
  s.services.dynamicGroups.createDynamicThingGroup({ thingGroupName, queryString, attributes: {} });
const members = async (thingGroupName: string) =>
  (await s.services.groups.listThingsInThingGroup({ thingGroupName, recursive: false, maxResults: 250 })).things;
const createJob = (jobId: string, group: string, targetSelection: string) =>
  s.management.createJob(
    parseCreateJob({
      path: { jobId },
      query: {},
      body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, group)], targetSelection, document: '{"v":1}' },
    }),
  );
const statusOf = async (thing: string, jobId: string) => {
  const e = await s.executions.get(thing, jobId);
  return e && `${e.status} #${e.executionNumber}`;
};

describe('a continuous job on attributes.firmware < 3.1', () => {
  it('takes on a device downgraded or created matching, REMOVES a queued one updated to 3.1, lets a started one finish', async () => {
    for (const [name, firmware] of [
      ['queued', '2.9'],
      ['updated', '3.0'],
      ['started', '2.8'],
      ['downgraded', '3.5'],
      ['current', '3.1'],
    ] as const)
      await device(name, firmware);
    // Written as an operator would, spaces and all.
    await dynamicGroup('old-firmware', 'attributes.firmware < 3.1');
    await settled();
    expect(await members('old-firmware')).toEqual(['queued', 'started', 'updated']);

    await createJob('upgrade', 'old-firmware', 'CONTINUOUS');
    await settled();
    await s.device.startNext({ thingName: 'started' });
    await flash('updated', '3.1');
    await flash('started', '3.2');
    await flash('downgraded', '3.0');
    await device('created', '1.0');
    await settled();

    expect(await members('old-firmware')).toEqual(['created', 'downgraded', 'queued']);
    expect({
      queued: await statusOf('queued', 'upgrade'),
      updated: await statusOf('updated', 'upgrade'),
      started: await statusOf('started', 'upgrade'),
      downgraded: await statusOf('downgraded', 'upgrade'),
      created: await statusOf('created', 'upgrade'),
      current: await statusOf('current', 'upgrade'),
    }).toEqual({
      queued: 'QUEUED #1',
      updated: 'REMOVED #1',
      started: 'IN_PROGRESS #1',
      downgraded: 'QUEUED #1',
      created: 'QUEUED #1',
      current: undefined,
    });
    const { job } = await s.management.describeJob({ jobId: 'upgrade' });
    expect(job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 3,
      numberOfInProgressThings: 1,
      numberOfRemovedThings: 1,
    });
  }, 60_000);

  it('a SNAPSHOT job takes the membership as it stands at creation, and no later joiner', async () => {
    for (const [name, firmware] of [
      ['a', '2.0'],
      ['b', '3.0'],
      ['c', '4.0'],
    ] as const)
      await device(name, firmware);
    await dynamicGroup('old-firmware', 'attributes.firmware<3.1');
    await settled();
    await createJob('once', 'old-firmware', 'SNAPSHOT');
    await settled();
    await flash('c', '2.0');
    await settled();
    expect(await members('old-firmware')).toEqual(['a', 'b', 'c']);
    const reached = (await executionsOfJob(s.executions, 'once')).map((e) => e.thingName).sort();
    expect(reached).toEqual(['a', 'b']);
  }, 60_000);
});

describe("a dynamic group's upkeep and build", () => {
  const thing = (name: string, version: number, firmware: string): VersionedThing => ({
    thingName: name,
    thingId: `id-${name}`,
    thingGroupNames: [],
    attributes: { firmware },
    version,
  });

  const upkeepOn = (store: DynamicGroupStore) =>
    new DynamicMembershipUpkeep(store, (name) => s.stores.thingGroups.getGroup(name), s.clock);
  const memberCount = async (group: string) =>
    (await s.table.client.send(new GetCommand({ TableName: s.table.tableName, Key: keys.thingGroup(group) }))).Item
      ?.memberCount;

  it('costs a match per dynamic group and writes only where the answer changed; a change given again writes nothing', async () => {
    for (let i = 0; i < 10; i++) await dynamicGroup(`below-${i}`, `attributes.firmware<${i}`);
    await device('d', '2.5');
    await settled();
    expect(
      (await s.services.groups.listThingGroupsForThing({ thingName: 'd', maxResults: 25 })).thingGroups,
    ).toHaveLength(7);
    reacting = false;
    await flash('d', '7.5');
    const upkeep = upkeepOn(s.stores.dynamicGroups);
    // 2.5 -> 7.5 takes the thing out of below-3 to below-7, and leaves it in below-8 and below-9.
    const change: ThingChange = { before: thing('d', 1, '2.5'), after: thing('d', 2, '7.5') };
    const writes = await upkeep.followThings([change]);
    const again = await upkeep.followThings([change]);
    // A change overtaken by a newer one (the thing is at version 2) writes nothing: the newer one's record follows.
    const stale = await upkeep.followThings([{ before: thing('d', 0, '9'), after: thing('d', 1, '2.5') }]);
    expect({ writes, again, stale }).toEqual({ writes: 5, again: 0, stale: 0 });
    const groups = await s.services.groups.listThingGroupsForThing({ thingName: 'd', maxResults: 25 });
    expect(groups.thingGroups.map((g) => g.groupName).sort()).toEqual(['below-8', 'below-9']);
  });

  it('resumes a build that stopped part-way without a member twice, and never undoes a newer change of a thing', async () => {
    reacting = false;
    for (let i = 0; i < 30; i++) await device(`t-${String(i).padStart(2, '0')}`, i % 2 ? '2.0' : '4.0');
    await dynamicGroup('old', 'attributes.firmware<3');
    let writes = 0;
    const failing: DynamicGroupStore = Object.create(s.stores.dynamicGroups);
    failing.setMembership = (...args) => {
      if (++writes > 6) return Promise.reject(new Error('cut off'));
      return s.stores.dynamicGroups.setMembership(...args);
    };
    await expect(upkeepOn(failing).build('old')).rejects.toThrow('cut off');
    // The next read of the fleet is older than t-29's change to 4.0: the build's write of t-29 is refused and t-29
    // read again.
    const stale: DynamicGroupStore = Object.create(s.stores.dynamicGroups);
    stale.thingPage = async (...args) => {
      const page = await s.stores.dynamicGroups.thingPage(...args);
      await flash('t-29', '4.0');
      return page;
    };
    expect(await upkeepOn(stale).build('old')).toBe(true);
    const expected = Array.from({ length: 15 }, (_, i) => `t-${String(2 * i + 1).padStart(2, '0')}`).filter(
      (name) => name !== 't-29',
    );
    expect(await members('old')).toEqual(expected);
    expect(await memberCount('old')).toBe(expected.length);
    expect((await s.services.groups.describeThingGroup({ thingGroupName: 'old' })).status).toBe('ACTIVE');
  });

  it('holds the count of dynamic groups to the quota in the creating transaction; a deletion frees a place', async () => {
    const group = (thingGroupName: string) => ({
      thingGroupName,
      thingGroupId: `id-${thingGroupName}`,
      thingGroupArn: thingGroupArn(DEFAULT_ARN_CONTEXT, thingGroupName),
      version: 1,
      attributes: {},
      ancestors: [],
      createdAt: s.clock(),
      dynamic: {
        queryString: '*',
        queryVersion: '2017-09-30',
        indexName: 'AWS_Things',
        status: 'ACTIVE' as const,
        buildId: 'b',
      },
    });
    const store = s.stores.dynamicGroups;
    const outcomes = await Promise.all(['q1', 'q2', 'q3'].map((name) => store.createDynamicGroup(group(name), 2)));
    expect(outcomes.filter((o) => o.applied)).toHaveLength(2);
    expect(outcomes.filter((o) => !o.applied && o.overLimit)).toHaveLength(1);
    const [kept] = (await store.listings()).map((l) => l.thingGroupName);
    await s.services.dynamicGroups.deleteDynamicThingGroup({ thingGroupName: kept! });
    expect(await store.createDynamicGroup(group('q4'), 2)).toEqual({ applied: true });
    // The things index goes OFF only without dynamic groups, and a creation checks it on in its own transaction.
    const off = {
      thingIndexingConfiguration: { thingIndexingMode: 'OFF' as const, thingConnectivityIndexingMode: 'OFF' as const },
    };
    await expect(s.services.indexing.updateIndexingConfiguration(off)).rejects.toThrow(/dynamic thing groups exist/);
    for (const { thingGroupName } of await store.listings())
      await s.services.dynamicGroups.deleteDynamicThingGroup({ thingGroupName });
    await s.services.indexing.updateIndexingConfiguration(off);
    expect(await store.createDynamicGroup(group('q5'), 2)).toEqual({ applied: false, indexOff: true });
  });
});
