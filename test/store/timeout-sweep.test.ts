import { describe, expect, it } from 'vitest';
import type { JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import type { TimerIndex } from '../../lambdas/jobs/execution/store';
import { sweepTimedOutExecutions } from '../../lambdas/jobs/execution/timeout-sweep';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import { InvalidStateTransitionException } from '../../lambdas/jobs/shared/errors';
import { buildServices, DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { DynamoExecutionStore } from '../../lambdas/store/executions';
import { JOBS_TABLE } from '../../lambdas/store/table/table-design';
import { executionRecord, seedExecutions } from '../support/seed';
import { update } from '../support/services';
import { createTestTable } from '../support/test-table';

const NOW = 1_700_000_000_000;
const always = () => true;

async function setUp(records: JobExecutionRecord[]) {
  const table = await createTestTable();
  await seedExecutions(table, records);
  table.commands.length = 0;
  table.queryItemsScanned.length = 0;
  return { table, repository: new DynamoExecutionStore(table.client, table.tableName) };
}

const running = (thingName: string, jobId: string, deadlineAt: number, over: Partial<JobExecutionRecord> = {}) =>
  executionRecord(thingName, jobId, {
    status: 'IN_PROGRESS',
    startedAt: NOW - 60 * MINUTE_MS,
    versionNumber: 2,
    stepDeadlineAt: deadlineAt,
    ...over,
  });

const things = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);

async function statusesOf(repository: DynamoExecutionStore, records: JobExecutionRecord[]) {
  return await Promise.all(records.map((r) => repository.get(r.thingName, r.jobId)));
}

describe('sweep', () => {
  it('times out exactly the executions past their deadline, stamped with the deadline, one version more', async () => {
    const expired = things(20, 'late').map((t, i) =>
      running(t, 'j1', NOW - i * 1000, { statusDetails: { step: 'x' } }),
    );
    const capped = running('capped', 'j1', NOW + MINUTE_MS, { inProgressDeadlineAt: NOW - 1 });
    const live = things(20, 'live').map((t) => running(t, 'j1', NOW + 1));
    const others = [
      executionRecord('queued', 'j1'),
      running('no-timer', 'j1', NOW, { stepDeadlineAt: undefined }),
      executionRecord('done', 'j1', { status: 'SUCCEEDED' }),
    ];
    const { repository } = await setUp([...expired, capped, ...live, ...others]);

    const report = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always });

    expect(report).toMatchObject({ timedOut: 21, alreadySettled: 0, indexItemsRead: 21, complete: true });
    const after = await statusesOf(repository, [...expired, capped]);
    after.forEach((record, i) => {
      const before = [...expired, capped][i]!;
      expect(record).toMatchObject({
        status: 'TIMED_OUT',
        versionNumber: 3,
        lastUpdatedAt: Math.min(before.stepDeadlineAt!, before.inProgressDeadlineAt ?? Infinity),
      });
    });
    expect(after[0]?.statusDetails).toEqual({ step: 'x' });
    for (const record of await statusesOf(repository, [...live, ...others]))
      expect(record?.status).not.toBe('TIMED_OUT');
  });

  it('a second sweep finds nothing left to read', async () => {
    const { repository, table } = await setUp(things(30, 'late').map((t) => running(t, 'j1', NOW - 1)));
    await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always });
    table.queryItemsScanned.length = 0;
    const again = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always });
    expect(again).toMatchObject({ timedOut: 0, indexItemsRead: 0 });
    expect(table.queryItemsScanned.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('pages through a backlog larger than a page in every shard', async () => {
    const { repository } = await setUp(things(120, 'late').map((t) => running(t, 'j1', NOW - 1)));
    const report = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always, pageSize: 3 });
    expect(report).toMatchObject({ timedOut: 120, complete: true });
  });

  it('stops when the time budget runs out, reports it incomplete, and the next run finishes', async () => {
    const { repository } = await setUp(things(120, 'late').map((t) => running(t, 'j1', NOW - 1)));
    let pagesAllowed = JOBS_TABLE.deadlineIndex.shardCount; // one page per shard, then out of time
    const first = await sweepTimedOutExecutions(repository, {
      now: NOW,
      hasTimeLeft: () => pagesAllowed-- > 0,
      pageSize: 2,
    });
    expect(first.complete).toBe(false);
    expect(first.timedOut).toBeLessThan(120);
    const second = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always, pageSize: 2 });
    expect(first.timedOut + second.timedOut).toBe(120);
    expect(second.complete).toBe(true);
  });

  it('never overwrites a status written first: a stale index entry only misses', async () => {
    const { repository } = await setUp([running('t1', 'j1', NOW - 1)]);
    await repository.applyDeviceUpdate({
      thingName: 't1',
      jobId: 'j1',
      status: 'SUCCEEDED',
      now: NOW - 2,
      timers: { stepDeadlineAt: null, inProgressDeadlineAt: null, deadlineAt: null },
      actor: { kind: 'device', name: 't1' },
    });
    // What an eventually consistent index can still show after the device's write.
    const outcome = await repository.timeOut({ thingName: 't1', jobId: 'j1', deadlineAt: NOW - 1 });
    expect(outcome.applied).toBe(false);
    expect(await repository.get('t1', 'j1')).toMatchObject({ status: 'SUCCEEDED', versionNumber: 3 });
  });

  it('never times out on an old deadline that a new step timer replaced', async () => {
    const { repository } = await setUp([running('t1', 'j1', NOW - 1)]);
    const outcome = await repository.timeOut({ thingName: 't1', jobId: 'j1', deadlineAt: NOW - 5 });
    expect(outcome.applied).toBe(false);
    expect((await repository.get('t1', 'j1'))?.status).toBe('IN_PROGRESS');
  });
});

describe('a device update racing the sweep at the deadline', () => {
  const DEADLINE = NOW;
  const COUNT = 60;

  async function race(deviceNow: number) {
    const records = things(COUNT, 'racer').map((t) => running(t, 'j1', DEADLINE));
    const { table, repository } = await setUp(records);
    const { device } = buildServices({
      tableName: table.tableName,
      dynamoEndpoint: table.endpoint,
      ...DEFAULT_ARN_CONTEXT,
      clock: () => deviceNow,
    });
    const updateAll = () =>
      Promise.all(
        records.map((r) =>
          device.update(update(r.thingName, 'j1', { status: 'SUCCEEDED' })).then(
            () => 'landed' as const,
            (error: unknown) =>
              error instanceof InvalidStateTransitionException ? ('rejected' as const) : Promise.reject(error),
          ),
        ),
      );
    // The devices fire once the sweep has sent a third of its timeouts, so both orders happen and the rest race in
    // flight.
    let devices: ReturnType<typeof updateAll> | undefined;
    let sent = 0;
    const index: TimerIndex = {
      shards: repository.shards,
      findExpired: (...args) => repository.findExpired(...args),
      timeOut: (execution) => {
        const write = repository.timeOut(execution);
        if (++sent >= COUNT / 3) devices ??= updateAll();
        return write;
      },
    };
    const report = await sweepTimedOutExecutions(index, { now: DEADLINE + 1, hasTimeLeft: always });
    const deviceOutcomes = await (devices ?? updateAll());
    return { deviceOutcomes, report, finals: await statusesOf(repository, records) };
  }

  it('just before the deadline: each execution has exactly one winner, and never TIMED_OUT over SUCCEEDED', async () => {
    const { deviceOutcomes, report, finals } = await race(DEADLINE - 1);
    finals.forEach((final, i) => {
      expect(final?.versionNumber).toBe(3); // exactly one write won
      expect(final?.status).toBe(deviceOutcomes[i] === 'landed' ? 'SUCCEEDED' : 'TIMED_OUT');
    });
    const landed = deviceOutcomes.filter((o) => o === 'landed').length;
    expect(report.timedOut).toBe(COUNT - landed);
    // Both orders happened: the race was real.
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(COUNT);
  });

  it('at the deadline: every device update is rejected and every execution ends TIMED_OUT once', async () => {
    const { deviceOutcomes, finals } = await race(DEADLINE);
    expect(new Set(deviceOutcomes)).toEqual(new Set(['rejected']));
    for (const final of finals)
      expect(final).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3, lastUpdatedAt: DEADLINE });
  });
});

describe('a sweep killed half-way', () => {
  /**
   * The repository as a sweep sees it, until `killAfter` timeouts have been sent; then every call fails, as in a dead
   * Lambda.
   */
  function dyingIndex(
    repository: DynamoExecutionStore,
    killAfter: number,
  ): TimerIndex & { settle(): Promise<unknown> } {
    let sent = 0;
    const inFlight: Promise<unknown>[] = [];
    const dead = () => Promise.reject(new Error('killed'));
    return {
      shards: repository.shards,
      findExpired: (...args) => (sent >= killAfter ? dead() : repository.findExpired(...args)),
      timeOut: (execution) => {
        if (sent >= killAfter) return dead();
        sent++;
        const write = repository.timeOut(execution);
        inFlight.push(write);
        return write;
      },
      settle: () => Promise.allSettled(inFlight),
    };
  }

  it('leaves nothing wrong, and a rerun finishes the job with one version per execution', async () => {
    const expired = things(80, 'late').map((t) => running(t, 'j1', NOW - 1000));
    const finished = things(10, 'done').map((t) => executionRecord(t, 'j1', { status: 'SUCCEEDED', versionNumber: 3 }));
    const live = things(10, 'live').map((t) => running(t, 'j1', NOW + 1000));
    const { repository } = await setUp([...expired, ...finished, ...live]);

    const dying = dyingIndex(repository, 33);
    await expect(sweepTimedOutExecutions(dying, { now: NOW, hasTimeLeft: always, pageSize: 4 })).rejects.toThrow(
      'killed',
    );
    await dying.settle();
    const halfway = await statusesOf(repository, expired);
    const timedOutBefore = halfway.filter((r) => r?.status === 'TIMED_OUT').length;
    expect(timedOutBefore).toBe(33);

    const rerun = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always, pageSize: 4 });
    expect(rerun.timedOut).toBe(80 - 33);
    for (const record of await statusesOf(repository, expired))
      expect(record).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3, lastUpdatedAt: NOW - 1000 });
    for (const record of await statusesOf(repository, finished))
      expect(record).toMatchObject({ status: 'SUCCEEDED', versionNumber: 3 });
    for (const record of await statusesOf(repository, live))
      expect(record).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2 });
  });
});

describe('cost', () => {
  // 5,000 is enough to tell 50 read from the whole table read, and quick to seed beside the rest of the suite.
  it('with 5,000 executions of which 50 expired, one sweep reads about 50 items, not the table', async () => {
    const expired = things(50, 'late').map((t) => running(t, 'j1', NOW - 1));
    const future = things(2_450, 'live').map((t) => running(t, 'j1', NOW + 60 * MINUTE_MS));
    const queued = things(2_500, 'waiting').map((t) => executionRecord(t, 'j1'));
    const { repository, table } = await setUp([...expired, ...future, ...queued]);

    const report = await sweepTimedOutExecutions(repository, { now: NOW, hasTimeLeft: always });

    const scanned = table.queryItemsScanned.reduce((a, b) => a + b, 0);
    expect(report.timedOut).toBe(50);
    expect(scanned).toBe(50);
    // One query per shard, one conditional write per expired execution: nothing else.
    expect(table.commands.filter((c) => c === 'Query')).toHaveLength(JOBS_TABLE.deadlineIndex.shardCount);
    expect(table.commands.filter((c) => c === 'UpdateItem')).toHaveLength(50);
    expect(table.commands.filter((c) => c !== 'Query' && c !== 'UpdateItem')).toEqual([]);
    // Half a read unit per shard query is the floor; the whole table would be hundreds.
    expect(report.readCapacityUnits).toBeLessThanOrEqual(JOBS_TABLE.deadlineIndex.shardCount);
  }, 120_000);
});
