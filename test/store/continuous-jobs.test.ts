import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedGroupFleet, thingNames } from '../../bench/fan-out/group-fleet';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { keys } from '../../lambdas/store/table/keys';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createServices, executionsOfJob, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let poller: StreamPoller;

/**
 * A continuous job over three nested groups, with the table's real stream
 * feeding the counts and the membership reactor as the local runner does.
 * Scaled down further than the snapshot half (fan-out-groups.test.ts): a
 * request's own part 40 things, pages of 15, so the worker still takes
 * several pages after the request.
 */
/** What a request fans out itself of a continuous job: half the inline budget (its writes are conditional). */
const INLINE_WORK = 40;
const ROOT = thingNames('root', 10);
const MID = thingNames('mid', 25);
const LEAF = thingNames('leaf', 65);
const FLEET = [...ROOT, ...MID, ...LEAF];

beforeEach(async () => {
  s = await createServices({ implicitThings: false, workSettings: { inlineBudget: INLINE_WORK * 2, pageSize: 15 } });
  await seedGroupFleet(
    s.table.client,
    s.table.tableName,
    [
      { name: 'plant', things: ROOT },
      { name: 'line', parent: 'plant', things: MID },
      { name: 'cell', parent: 'line', things: LEAF },
      { name: 'spares', things: [] },
    ],
    s.clock(),
  );
  s.clock.advance(1000);
  poller = await startStreamPoller({
    endpoint: s.table.endpoint,
    tableName: s.table.tableName,
    intervalMs: 50,
    newTable: true,
    onBatch: async (records) =>
      void (await Promise.all([s.services.aggregateCounts(records), s.services.reactToMemberships(records)])),
  });
  // The seeded memberships' own changes, read before any job exists: no reaction to them can overtake a test's fan-out.
  await poller.drain();
});

afterEach(async () => {
  await s.workDone();
  await poller.stop();
  s.services.dispose();
  await s.table.drop();
});

const plant = thingGroupArn(DEFAULT_ARN_CONTEXT, 'plant');
const createJob = (jobId: string, targets = [plant], targetSelection = 'CONTINUOUS') =>
  s.management.createJob(
    parseCreateJob({ path: { jobId }, query: {}, body: { targets, targetSelection, document: '{"v":1}' } }),
  );
const queue = () => s.services.localWorkQueue!;
/** Everything settled: the worker's part done, and every change since read off the stream (counts and memberships). */
const settled = async () => {
  await s.workDone();
  await poller.drain();
  await s.workDone();
  await poller.drain();
};
const join = async (thingName: string, group: string, create = true) => {
  if (create) await s.services.registry.createThing({ thingName, attributes: {} });
  await s.services.groups.addThingToThingGroup({ thingGroupName: group, thingName });
};
const leave = (thingName: string, group: string) =>
  s.services.groups.removeThingFromThingGroup({ thingGroupName: group, thingName });
const groupOf = (thing: string) => (thing.startsWith('leaf') ? 'cell' : thing.startsWith('mid') ? 'line' : 'plant');
const statusOf = async (thing: string, jobId: string) => {
  const e = await s.executions.get(thing, jobId);
  return e && `${e.status} #${e.executionNumber}`;
};
const executionsOf = (jobId: string) => executionsOfJob(s.executions, jobId);
const details = async (jobId: string) => (await s.management.describeJob({ jobId })).job;

describe('a continuous job over three nested groups', () => {
  it('takes on a thing that joins while it fans out, removes the QUEUED ones that leave, and leaves a started one running', async () => {
    queue().hold();
    await createJob('fleet');
    const reached = new Set((await executionsOf('fleet')).map((e) => e.thingName));
    expect(reached.size).toBe(INLINE_WORK);
    const [queuedLeaver, startedLeaver] = [...reached].slice(-2) as [string, string];
    const unreachedLeaver = FLEET.filter((thing) => !reached.has(thing)).at(-1)!;
    await s.device.startNext({ thingName: startedLeaver });

    // While the worker has yet to read the rest: one joins the deepest group, three leave.
    await join('late-joiner', 'cell');
    await leave(queuedLeaver, groupOf(queuedLeaver));
    await leave(startedLeaver, groupOf(startedLeaver));
    await leave(unreachedLeaver, groupOf(unreachedLeaver));
    queue().release();
    await settled();

    expect(await statusOf('late-joiner', 'fleet')).toBe('QUEUED #1');
    expect(await statusOf(queuedLeaver, 'fleet')).toBe('REMOVED #1');
    expect(await statusOf(startedLeaver, 'fleet')).toBe('IN_PROGRESS #1');
    // The fan-out reads the groups as they are: a thing gone before it was reached has no execution to remove.
    expect(await statusOf(unreachedLeaver, 'fleet')).toBeUndefined();
    const job = await details('fleet');
    expect(job.targetSelection).toBe('CONTINUOUS');
    expect(job.status).toBe('IN_PROGRESS');
    expect(job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: FLEET.length - 3 + 1,
      numberOfInProgressThings: 1,
      numberOfRemovedThings: 1,
    });
    expect(job.jobProcessDetails).not.toHaveProperty('processingTargets');
  }, 90_000);

  it('queues a thing again that comes back after its execution was REMOVED; one that succeeded keeps its result', async () => {
    await createJob('fleet');
    await settled();
    const [away, done] = [LEAF[0]!, LEAF[1]!];
    await s.device.startNext({ thingName: done });
    await s.device.update(update(done, 'fleet', { status: 'SUCCEEDED' }));
    await leave(away, 'cell');
    await leave(done, 'cell');
    await settled();
    expect(await statusOf(away, 'fleet')).toBe('REMOVED #1');
    expect(await statusOf(done, 'fleet')).toBe('SUCCEEDED #1');

    await join(away, 'line', false);
    await join(done, 'line', false);
    await settled();
    expect(await statusOf(away, 'fleet')).toBe('QUEUED #2');
    expect(await statusOf(done, 'fleet')).toBe('SUCCEEDED #1');
    // A stream that delivers the same changes again changes nothing.
    expect((await details('fleet')).jobProcessDetails).toMatchObject({
      numberOfQueuedThings: FLEET.length - 1,
      numberOfSucceededThings: 1,
      numberOfRemovedThings: 0,
    });
  }, 90_000);

  it('never completes: every target done, it stays IN_PROGRESS for the next thing to join, which gets the job', async () => {
    await join('s1', 'spares');
    await createJob('spare-parts', [thingGroupArn(DEFAULT_ARN_CONTEXT, 'spares')]);
    await createJob('spare-snapshot', [thingGroupArn(DEFAULT_ARN_CONTEXT, 'spares')], 'SNAPSHOT');
    for (const jobId of ['spare-parts', 'spare-snapshot']) {
      await s.device.startNext({ thingName: 's1' });
      await s.device.update(update('s1', jobId, { status: 'SUCCEEDED' }));
    }
    await settled();
    expect((await details('spare-snapshot')).status).toBe('COMPLETED');
    expect((await details('spare-parts')).status).toBe('IN_PROGRESS');
    await join('s2', 'spares');
    await settled();
    expect(await statusOf('s2', 'spare-parts')).toBe('QUEUED #1');
    expect(await statusOf('s2', 'spare-snapshot')).toBeUndefined();
  }, 60_000);

  it('a cancel reaches the things that joined later; once canceled, a thing that joins gets nothing', async () => {
    await createJob('recall');
    await settled();
    await join('joined-1', 'cell');
    await join('joined-2', 'plant');
    await settled();
    await s.management.cancelJob({ jobId: 'recall', force: false });
    await settled();
    expect(await statusOf('joined-1', 'recall')).toBe('CANCELED #1');
    expect(await statusOf('joined-2', 'recall')).toBe('CANCELED #1');
    expect((await executionsOf('recall')).every((e) => e.status === 'CANCELED')).toBe(true);
    await join('joined-3', 'cell');
    await settled();
    expect(await statusOf('joined-3', 'recall')).toBeUndefined();
    expect(await listingsOf('plant')).toEqual([]);
  }, 90_000);

  it('a delete takes the joiners too, and leaves nothing of the job behind', async () => {
    await createJob('retired');
    await settled();
    await join('joined-1', 'cell');
    await settled();
    expect(await listingsOf('plant')).toHaveLength(1);
    await s.management.deleteJob({ jobId: 'retired', force: true });
    await settled();
    await expect(s.management.describeJob({ jobId: 'retired' })).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(await statusOf('joined-1', 'retired')).toBeUndefined();
    const left = await s.table.client.send(
      new QueryCommand({
        TableName: s.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.job('retired').pk },
      }),
    );
    expect(left.Items).toEqual([]);
    expect(await listingsOf('plant')).toEqual([]);
  }, 90_000);

  it('AssociateTargetsWithJob past what a request does itself: the new group fans out in the background, shown in processingTargets meanwhile', async () => {
    await createJob('fleet');
    await settled();
    const annex = thingNames('annex', 60);
    await seedGroupFleet(s.table.client, s.table.tableName, [{ name: 'annex', things: annex }], s.clock());
    // Their joining is read before the group is a target (else the reactor, rightly, gives some their execution before
    // the fan-out does).
    await poller.drain();
    const annexArn = thingGroupArn(DEFAULT_ARN_CONTEXT, 'annex');
    queue().hold();
    await s.management.associateTargets({ jobId: 'fleet', targets: [annexArn], groupNames: ['annex'] });
    const running = await details('fleet');
    expect(running.targets).toEqual([plant, annexArn]);
    expect(running.jobProcessDetails.processingTargets).toEqual([annexArn]);
    expect((await executionsOf('fleet')).length).toBe(FLEET.length + INLINE_WORK);
    queue().release();
    await settled();
    const all = await executionsOf('fleet');
    expect(all).toHaveLength(FLEET.length + annex.length);
    expect(new Set(all.map((e) => `${e.status} #${e.executionNumber}`))).toEqual(new Set(['QUEUED #1']));
    expect((await details('fleet')).jobProcessDetails).not.toHaveProperty('processingTargets');
  }, 90_000);

  it('AssociateTargetsWithJob while the first fan-out is still running: the worker reads the new group after the old ones', async () => {
    await join('s1', 'spares');
    queue().hold();
    await createJob('fleet');
    const sparesArn = thingGroupArn(DEFAULT_ARN_CONTEXT, 'spares');
    await s.management.associateTargets({ jobId: 'fleet', targets: [sparesArn], groupNames: ['spares'] });
    expect((await details('fleet')).jobProcessDetails.processingTargets).toEqual([plant, sparesArn]);
    queue().release();
    await settled();
    expect(await executionsOf('fleet')).toHaveLength(FLEET.length + 1);
    expect(await statusOf('s1', 'fleet')).toBe('QUEUED #1');
  }, 90_000);

  it('a thing that joins a group created below a target group after the job gets the job too', async () => {
    await createJob('fleet');
    await settled();
    await s.services.groups.createThingGroup({ thingGroupName: 'new-cell', parentGroupName: 'line', attributes: {} });
    await join('in-new-cell', 'new-cell');
    await settled();
    expect(await statusOf('in-new-cell', 'fleet')).toBe('QUEUED #1');
  }, 60_000);
});

/** The continuous jobs listed under a group. */
async function listingsOf(groupName: string): Promise<unknown[]> {
  const found = await s.table.client.send(
    new QueryCommand({
      TableName: s.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.continuousTargetsOf(groupName) },
    }),
  );
  return found.Items ?? [];
}
