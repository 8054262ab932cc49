import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedGroupFleet, thingNames } from '../../bench/fan-out/group-fleet';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { membershipItem } from '../../lambdas/store/registry/thing-group-items';
import { createServices, executionsOfJob } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

/**
 * Three nested groups, together past what a request does itself: the rest is
 * the worker's. Scaled down (a request's own part 100 things, pages of 40) so
 * the test runs the same steps as 1,000 and 2,000 would, in a fraction of the time.
 */
const INLINE_WORK = 100;
const SETTINGS = { inlineBudget: INLINE_WORK, pageSize: 40 };
const ROOT = thingNames('root', 20);
const MID = thingNames('mid', 60);
const LEAF = thingNames('leaf', 150);
const FLEET = [...ROOT, ...MID, ...LEAF];

beforeEach(async () => {
  s = await createServices({ implicitThings: false, workSettings: SETTINGS });
  await seedGroupFleet(
    s.table.client,
    s.table.tableName,
    [
      { name: 'plant', things: ROOT },
      { name: 'line', parent: 'plant', things: MID },
      { name: 'cell', parent: 'line', things: LEAF },
    ],
    s.clock(),
  );
  s.clock.advance(1000);
});

afterEach(async () => {
  await s.workDone();
  s.services.dispose();
  await s.table.drop();
});

const createFleetJob = (jobId: string) =>
  s.management.createJob(
    parseCreateJob({
      path: { jobId },
      query: {},
      body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'plant')], document: '{"v":1}' },
    }),
  );
const executionsOf = (jobId: string) => executionsOfJob(s.executions, jobId);
const queue = () => s.services.localWorkQueue!;

describe('a snapshot job over three nested groups', () => {
  it('gives every member of the group and the groups below it one execution, the first part before CreateJob answers, the rest from the worker', async () => {
    queue().hold();
    await createFleetJob('fleet');
    const written = new Set((await executionsOf('fleet')).map((e) => e.thingName));
    expect(written.size).toBe(INLINE_WORK);
    const running = (await s.management.describeJob({ jobId: 'fleet' })).job;
    expect(running.jobProcessDetails.processingTargets).toEqual([thingGroupArn(DEFAULT_ARN_CONTEXT, 'plant')]);

    // While the rest waits for the worker: a thing joins the deepest group (after the job was made: a snapshot leaves
    // it out), and a member the worker has not reached yet leaves its group (the fan-out reads the groups as they are:
    // it gets none).
    await s.services.registry.createThing({ thingName: 'late-joiner', attributes: {} });
    await s.services.groups.addThingToThingGroup({ thingGroupName: 'cell', thingName: 'late-joiner' });
    const unreached = FLEET.filter((thing) => !written.has(thing));
    const leaver = unreached.at(-1)!;
    await s.services.groups.removeThingFromThingGroup({
      thingGroupName: leaver.startsWith('leaf') ? 'cell' : 'line',
      thingName: leaver,
    });
    queue().release();
    await s.workDone();

    const all = await executionsOf('fleet');
    expect(all).toHaveLength(FLEET.length - 1);
    expect(new Set(all.map((e) => `${e.status} v${e.versionNumber} #${e.executionNumber}`))).toEqual(
      new Set(['QUEUED v1 #1']),
    );
    expect(await s.executions.get('late-joiner', 'fleet')).toBeUndefined();
    expect(await s.executions.get(leaver, 'fleet')).toBeUndefined();
    expect((await s.management.describeJob({ jobId: 'fleet' })).job.jobProcessDetails).not.toHaveProperty(
      'processingTargets',
    );
  }, 60_000);

  it('gives no execution to a member the index still lists after its thing was deleted', async () => {
    // The registry index trails the table: a membership seen there may belong to a thing already gone, whose
    // DeleteThing swept its executions before the fan-out wrote one (the same order as a DeleteThing between a page's
    // read and its write).
    await s.services.registry.createThing({ thingName: 'ghost', attributes: {} });
    await s.services.groups.addThingToThingGroup({ thingGroupName: 'cell', thingName: 'ghost' });
    const cell = (await s.stores.thingGroups.getGroup('cell'))!;
    await s.services.registry.deleteThing({ thingName: 'ghost' });
    await s.table.client.send(
      new PutCommand({ TableName: s.table.tableName, Item: membershipItem(cell, 'ghost', s.clock() - 1) }),
    );
    await createFleetJob('fleet');
    await s.workDone();
    expect(await s.executions.get('ghost', 'fleet')).toBeUndefined();
    expect(await executionsOf('fleet')).toHaveLength(FLEET.length);
  }, 60_000);

  it("finds DeleteThing's marks among the names a page asks about, and only those", async () => {
    for (const thingName of ['leaf-marked-1', 'leaf-marked-2', 'outside']) {
      await s.services.registry.createThing({ thingName, attributes: {} });
      await s.services.registry.deleteThing({ thingName });
    }
    const page = [LEAF[0]!, 'leaf-marked-2', LEAF.at(-1)!];
    // leaf-marked-1 falls in the page's name range without being on it; 'outside' falls outside it.
    expect(await s.stores.things.markedDeleted(page)).toEqual(['leaf-marked-2']);
    expect(await s.stores.things.markedDeleted(LEAF)).toEqual([]);
  });
});

describe('cascades past what a request does itself', () => {
  it('CancelJob answers at once, and the worker cancels every QUEUED execution, leaving started ones to run', async () => {
    await createFleetJob('recall');
    await s.workDone();
    await s.device.startNext({ thingName: LEAF.at(-1)! });
    queue().hold();
    await s.management.cancelJob({ jobId: 'recall', force: false });
    expect((await s.management.describeJob({ jobId: 'recall' })).job.status).toBe('CANCELED');
    queue().release();
    await s.workDone();
    const all = await executionsOf('recall');
    expect(all.filter((e) => e.status !== 'CANCELED').map((e) => `${e.thingName}: ${e.status}`)).toEqual([
      `${LEAF.at(-1)}: IN_PROGRESS`,
    ]);
  }, 60_000);

  it('DeleteJob shows DELETION_IN_PROGRESS until the worker has deleted the last execution, then the job is gone', async () => {
    await createFleetJob('retired');
    await s.workDone();
    queue().hold();
    await s.management.deleteJob({ jobId: 'retired', force: true });
    expect((await s.management.describeJob({ jobId: 'retired' })).job.status).toBe('DELETION_IN_PROGRESS');
    expect((await executionsOf('retired')).length).toBe(FLEET.length - INLINE_WORK);
    queue().release();
    await s.workDone();
    await expect(s.management.describeJob({ jobId: 'retired' })).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(await executionsOf('retired')).toEqual([]);
    // Nothing of it is left: a new job of the same jobId starts afresh.
    await createFleetJob('retired');
    await s.workDone();
    expect(await executionsOf('retired')).toHaveLength(FLEET.length);
  }, 60_000);
});
