import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedGroupFleet, thingNames } from '../../bench/fan-out/group-fleet';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createServices, executionsOfJob } from '../support/services';

/**
 * AssociateTargetsWithJob over things that have an execution of the continuous job already, past what the request
 * does itself: the worker queues each REMOVED one again (the next executionNumber) and leaves the others as they are,
 * with the table's real stream feeding the counts and the membership reactor as the local runner does.
 */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let poller: StreamPoller;

const PLANT = thingNames('p', 20);
/** Those that leave `plant` while QUEUED: REMOVED. */
const LEAVERS = PLANT.slice(0, 14);

beforeEach(async () => {
  // A request fans out 4 things of a continuous job itself (half the budget), in windows of 3.
  s = await createServices({ implicitThings: false, workSettings: { inlineBudget: 8, pageSize: 3 } });
  await seedGroupFleet(
    s.table.client,
    s.table.tableName,
    [
      { name: 'plant', things: PLANT },
      { name: 'annex', things: [] },
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
  await poller.drain();
});

afterEach(async () => {
  await s.workDone();
  await poller.stop();
  s.services.dispose();
  await s.table.drop();
});

const settled = async () => {
  await s.workDone();
  await poller.drain();
  await s.workDone();
  await poller.drain();
};
/** How many executions of the job stand at each `STATUS #executionNumber`. */
const tally = async (jobId: string) => {
  const byState: Record<string, number> = {};
  for (const e of await executionsOfJob(s.executions, jobId)) {
    const state = `${e.status} #${e.executionNumber}`;
    byState[state] = (byState[state] ?? 0) + 1;
  }
  return byState;
};

it('queues every REMOVED execution again, the worker those the request left, and nothing twice', async () => {
  const groupArn = (name: string) => thingGroupArn(DEFAULT_ARN_CONTEXT, name);
  await s.management.createJob(
    parseCreateJob({
      path: { jobId: 'rejoin' },
      query: {},
      body: { targets: [groupArn('plant')], targetSelection: 'CONTINUOUS', document: '{}' },
    }),
  );
  await settled();
  for (const thingName of PLANT) await s.services.groups.addThingToThingGroup({ thingGroupName: 'annex', thingName });
  for (const thingName of LEAVERS)
    await s.services.groups.removeThingFromThingGroup({ thingGroupName: 'plant', thingName });
  await settled();
  expect(await tally('rejoin')).toEqual({ 'QUEUED #1': 6, 'REMOVED #1': 14 });

  s.services.localWorkQueue!.hold();
  await s.management.associateTargets({ jobId: 'rejoin', targets: [groupArn('annex')], groupNames: ['annex'] });
  // The request looked at 4 things itself: the rest is the worker's.
  const meanwhile = await tally('rejoin');
  expect(meanwhile['REMOVED #1']).toBeGreaterThanOrEqual(10);
  s.services.localWorkQueue!.release();
  await settled();
  expect(await tally('rejoin')).toEqual({ 'QUEUED #1': 6, 'QUEUED #2': 14 });
  const { job } = await s.management.describeJob({ jobId: 'rejoin' });
  expect(job.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 20, numberOfRemovedThings: 0 });
}, 60_000);
