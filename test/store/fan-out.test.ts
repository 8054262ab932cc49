import { beforeEach, describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { ResourceAlreadyExistsException } from '../../lambdas/jobs/shared/errors';
import { thingArn } from '../support/arns';
import { createServices } from '../support/services';
import { within } from '../support/within';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

/** A lease short enough that a test sees a dead worker's run out. */
const LEASE_MS = 1000;

beforeEach(async () => {
  // Failed runs are tried again quickly: while DynamoDB is out of reach they all fail, and the queue gives up (as SQS's
  // dead-letter queue would).
  s = await createServices({ workSettings: { leaseMs: LEASE_MS, fenceMs: 200, pageSize: 100 }, workRetryDelayMs: 10 });
});

const fleet = Array.from({ length: 250 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
/** Executions one BatchWriteItem writes. */
const PER_BATCH = 25;
const request = (document = '{"v":1}') =>
  parseCreateJob({ path: { jobId: 'rollout' }, query: {}, body: { targets: fleet.map(thingArn), document } });

/**
 * Cuts the services off from DynamoDB after `batches` fan-out BatchWriteItem
 * calls, as a worker that dies mid-page leaves things: some executions
 * written, its lease held, nothing released. Returns the cure.
 */
function dieAfterBatches(batches: number): () => void {
  let sent = 0;
  let dead = false;
  s.servicesClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand' && ++sent > batches) dead = true;
      if (dead) throw new Error('connection reset');
      return await next(args);
    },
    { step: 'initialize', name: 'die' },
  );
  return () => s.servicesClient.middlewareStack.remove('die');
}

const existing = async () =>
  (await Promise.all(fleet.map((t) => s.executions.get(t, 'rollout')))).filter((e) => e !== undefined);

describe('a fan-out whose worker dies mid-page', () => {
  it('answers CreateJob once the job is durable, says so in DescribeJob, and a later worker finishes it without resetting what devices did', async () => {
    const cure = dieAfterBatches(3);
    const created = await s.management.createJob(request());
    expect(created.jobId).toBe('rollout');
    await s.workDone();
    cure();

    const part = await existing();
    expect(part).toHaveLength(3 * PER_BATCH);
    const { job } = await s.management.describeJob({ jobId: 'rollout' });
    // The targets the fan-out has not reached yet, in the order given.
    const processing = job.jobProcessDetails.processingTargets!;
    expect(processing.length).toBeGreaterThan(0);
    expect(fleet.map(thingArn).slice(-processing.length)).toEqual(processing);

    // A device whose execution was written gets going before any worker comes back.
    const early = await s.device.startNext({ thingName: part[0]!.thingName, statusDetails: { step: 'flash' } });
    expect(early.execution?.versionNumber).toBe(2);

    // The dead worker's lease runs out; then the resume (the schedule's, deployed) hands the work to a new worker.
    expect(await within(10_000, async () => (await s.services.jobWork.resumeStalled()).includes('rollout'), 100)).toBe(
      true,
    );
    await s.workDone();

    const all = await existing();
    expect(all).toHaveLength(fleet.length);
    expect(all.filter((e) => e.status === 'IN_PROGRESS')).toEqual([
      expect.objectContaining({ thingName: part[0]!.thingName, versionNumber: 2, statusDetails: { step: 'flash' } }),
    ]);
    expect(new Set(all.map((e) => e.jobIncarnation))).toEqual(new Set([part[0]!.jobIncarnation]));
    expect((await s.management.describeJob({ jobId: 'rollout' })).job.jobProcessDetails).not.toHaveProperty(
      'processingTargets',
    );
    expect(await s.services.jobWork.resumeStalled()).toEqual([]);
  });

  it('answers the same CreateJob again with the job it made, and refuses a different job under the same jobId', async () => {
    const cure = dieAfterBatches(1);
    await s.management.createJob(request());
    await s.workDone();
    cure();
    await expect(s.management.createJob(request('{"v":2}'))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    expect((await s.management.createJob(request())).jobId).toBe('rollout');
    // That CreateJob carries the fan-out on itself if the dead worker's lease has run out by then (a loaded machine),
    // else the resume does once it has.
    const finished = async () => {
      await s.services.jobWork.resumeStalled();
      await s.workDone();
      return (await existing()).length === fleet.length;
    };
    expect(await within(10_000, finished, 100)).toBe(true);
    await expect(s.management.createJob(request())).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });
});

describe("a run's tally (the job worker's metrics)", () => {
  it('counts the targets it gave executions and, in a cascade, the targets it walked: what the request did itself not included', async () => {
    const t = await createServices({ workSettings: { pageSize: 100, inlineBudget: 60 } });
    const queue = t.services.localWorkQueue!;
    // Requests leave what is past their budget to the queue; held, it is this test's to run.
    queue.hold();
    await t.createJob('tallied', fleet);
    const fanOut = { fannedOut: 0, cascaded: 0 };
    expect(await t.services.jobWork.run('tallied', { tally: fanOut })).toBe('done');
    expect(fanOut).toEqual({ fannedOut: fleet.length - 60, cascaded: 0 });
    expect((await t.management.describeJob({ jobId: 'tallied' })).job.jobProcessDetails).not.toHaveProperty(
      'processingTargets',
    );

    await t.management.cancelJob({ jobId: 'tallied', force: false });
    const cascade = { fannedOut: 0, cascaded: 0 };
    expect(await t.services.jobWork.run('tallied', { tally: cascade })).toBe('done');
    expect(cascade).toEqual({ fannedOut: 0, cascaded: fleet.length - 60 });
    const left = (await Promise.all(fleet.map((thing) => t.executions.get(thing, 'tallied')))).filter(
      (e) => e?.status !== 'CANCELED',
    );
    expect(left).toEqual([]);
    queue.release();
    await t.workDone();
  });
});
