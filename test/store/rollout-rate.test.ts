import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import { createServices, executionsOfJob } from '../support/services';
import { within } from '../support/within';

/**
 * Rollout rates on DynamoDB Local, with the service clock moved by the test: a minute's window at a time, each release
 * checked.
 */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

beforeEach(async () => {
  s = await createServices({ workSettings: { leaseMs: 1000, fenceMs: 200, pageSize: 100 }, workRetryDelayMs: 10 });
});

const fleet = (n: number) => Array.from({ length: n }, (_, i) => `r-${String(i).padStart(3, '0')}`);
const released = async (jobId: string) => (await executionsOfJob(s.executions, jobId)).length;

/** The schedule's tick (deployed: every minute; locally: the runner's interval or a clock advance), then its work. */
async function tick(): Promise<string[]> {
  const resumed = await s.services.jobWork.resumeStalled();
  await s.workDone();
  return resumed;
}

/** Moves the service clock by `ms` and ticks: the things released so far. */
async function releasedAfter(ms: number, jobId: string): Promise<number> {
  s.clock.advance(ms);
  await tick();
  return released(jobId);
}

describe('maximumPerMinute', () => {
  it('releases that many things a minute, none between, and leaves the rest invisible to their devices until then', async () => {
    const things = fleet(50);
    await s.createJob('staged', things, { jobExecutionsRolloutConfig: { maximumPerMinute: 20 } });
    await s.workDone();
    expect(await released('staged')).toBe(20);
    const { job } = await s.management.describeJob({ jobId: 'staged' });
    expect(job).toMatchObject({ status: 'IN_PROGRESS', jobExecutionsRolloutConfig: { maximumPerMinute: 20 } });
    expect(job.jobProcessDetails.processingTargets).toHaveLength(30);
    // A thing past the first twenty has no execution yet: its device sees nothing to do.
    expect(await s.device.getPending({ thingName: things[49]! })).toEqual({ inProgressJobs: [], queuedJobs: [] });

    // Within the minute the schedule leaves the parked rollout alone.
    expect(await tick()).toEqual([]);
    expect(await releasedAfter(MINUTE_MS - 1, 'staged')).toBe(20);
    expect(await releasedAfter(1, 'staged')).toBe(40);
    expect(await releasedAfter(30_000, 'staged')).toBe(40);
    expect(await releasedAfter(30_000, 'staged')).toBe(50);
    // Every thing released: the fan-out is done, and nothing is left for the schedule.
    expect((await s.management.describeJob({ jobId: 'staged' })).job.jobProcessDetails).not.toHaveProperty(
      'processingTargets',
    );
    expect((await s.services.jobWork.get('staged'))?.fanOutDone).toBe(true);
    expect(await releasedAfter(MINUTE_MS, 'staged')).toBe(50);
    expect(await s.device.getPending({ thingName: things[49]! })).toMatchObject({ queuedJobs: [{ jobId: 'staged' }] });
  });

  it('releases a late window in full once the schedule comes back (no catching up on missed minutes)', async () => {
    await s.createJob('late', fleet(30), { jobExecutionsRolloutConfig: { maximumPerMinute: 10 } });
    await s.workDone();
    expect(await releasedAfter(5 * MINUTE_MS, 'late')).toBe(20);
  });

  it('stops releasing when the job is canceled while it waits, and the cancel reaches every released thing', async () => {
    await s.createJob('halted', fleet(30), { jobExecutionsRolloutConfig: { maximumPerMinute: 10 } });
    await s.workDone();
    await s.management.cancelJob({ jobId: 'halted', force: false });
    await s.workDone();
    expect(await releasedAfter(MINUTE_MS, 'halted')).toBe(10);
    const executions = await executionsOfJob(s.executions, 'halted');
    expect(new Set(executions.map((e) => e.status))).toEqual(new Set(['CANCELED']));
    expect((await s.management.describeJob({ jobId: 'halted' })).job.status).toBe('CANCELED');
  });
});

describe('exponentialRate', () => {
  it('starts at the base rate and multiplies it each minute the notified things reach the criterion, up to the maximum', async () => {
    const config = {
      maximumPerMinute: 10,
      exponentialRate: {
        baseRatePerMinute: 2,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfNotifiedThings: 2 },
      },
    };
    await s.createJob('growing', fleet(40), { jobExecutionsRolloutConfig: config });
    await s.workDone();
    const totals = [await released('growing')];
    for (let minute = 1; minute <= 5; minute++) totals.push(await releasedAfter(MINUTE_MS, 'growing'));
    // 2, then 4, 8, 10, 10 a minute, and the last 6.
    expect(totals).toEqual([2, 6, 14, 24, 34, 40]);
    expect((await s.management.describeJob({ jobId: 'growing' })).job.jobExecutionsRolloutConfig).toEqual(config);
  });
});

describe('a rollout whose worker dies', () => {
  it('releases no thing twice: the page it recorded is redone, and counts against its minute', async () => {
    let batches = 0;
    let dead = false;
    s.servicesClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batches > 1) dead = true;
        if (dead) throw new Error('connection reset');
        return await next(args);
      },
      { step: 'initialize', name: 'die' },
    );
    await s.createJob('crashing', fleet(120), { jobExecutionsRolloutConfig: { maximumPerMinute: 50 } });
    await s.workDone();
    s.servicesClient.middlewareStack.remove('die');
    expect(await released('crashing')).toBe(25);
    // The dead worker's lease runs out (wall clock); the schedule hands the work to a new one, which finishes the page
    // and waits.
    expect(await within(10_000, async () => (await tick()).includes('crashing'), 100)).toBe(true);
    expect(await released('crashing')).toBe(50);
    expect(await releasedAfter(MINUTE_MS, 'crashing')).toBe(100);
    expect(await releasedAfter(MINUTE_MS, 'crashing')).toBe(120);
  });
});
