import { describe, expect, it } from 'vitest';
import type { SweepReport } from '../../lambdas/jobs/execution/timeout-sweep';
import { clockControl } from '../../local/clock/clock-control';
import { controllableClock } from '../../local/clock/controllable-clock';
import { parseDuration } from '../../local/clock/duration';

const BASE = 1_700_000_000_000;
const report: SweepReport = { timedOut: 2, alreadySettled: 0, indexItemsRead: 2, readCapacityUnits: 1, complete: true };

describe('controllableClock', () => {
  it('runs with its base clock, shifted by what it was advanced', () => {
    let base = BASE;
    const clock = controllableClock(() => base);
    clock.advance(60_000);
    base += 5;
    expect(clock.now()).toBe(BASE + 60_005);
    expect(clock.offsetMs()).toBe(60_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('never moves by %s', (ms) => {
    const clock = controllableClock(() => BASE);
    expect(() => clock.advance(ms)).toThrow(RangeError);
    expect(clock.now()).toBe(BASE);
  });
});

describe('clock control endpoint', () => {
  const setUp = () => {
    const clock = controllableClock(() => BASE);
    let sweeps = 0;
    const handle = clockControl(clock, () => {
      sweeps++;
      return Promise.resolve(report);
    });
    return { clock, handle, sweeps: () => sweeps };
  };
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('shows the time in epoch seconds, as ISO text, and the offset', async () => {
    const { handle } = setUp();
    expect(await handle('GET', '/_local/clock', Buffer.alloc(0))).toEqual({
      statusCode: 200,
      body: { now: BASE / 1000, nowIso: new Date(BASE).toISOString(), offsetSeconds: 0 },
    });
  });

  it('advances, then sweeps at once and reports the sweep', async () => {
    const { handle, sweeps } = setUp();
    const response = await handle('POST', '/_local/clock/advance', json({ seconds: 90 }));
    expect(response).toEqual({
      statusCode: 200,
      body: { now: BASE / 1000 + 90, nowIso: new Date(BASE + 90_000).toISOString(), offsetSeconds: 90, sweep: report },
    });
    expect(sweeps()).toBe(1);
  });

  it.each([
    ['no seconds', {}],
    ['zero', { seconds: 0 }],
    ['backwards', { seconds: -5 }],
    ['text', { seconds: '60' }],
    ['beyond ten years', { seconds: 400_000_000 }],
  ])('refuses %s with 400 and leaves the clock alone', async (_name, body) => {
    const { handle, clock, sweeps } = setUp();
    const response = await handle('POST', '/_local/clock/advance', json(body));
    expect(response?.statusCode).toBe(400);
    expect((response?.body as { message: string } | undefined)?.message).toContain('seconds');
    expect(clock.offsetMs()).toBe(0);
    expect(sweeps()).toBe(0);
  });

  it('refuses a body that is not JSON', async () => {
    const { handle } = setUp();
    expect(await handle('POST', '/_local/clock/advance', Buffer.from('{'))).toMatchObject({ statusCode: 400 });
  });

  it.each([
    ['GET', '/_local/clock/advance'],
    ['POST', '/_local/clock'],
    ['GET', '/jobs/j1'],
  ])('leaves %s %s to the API routes', async (method, path) => {
    expect(await setUp().handle(method, path, Buffer.alloc(0))).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['90s', 90],
    ['11m', 660],
    ['1.5h', 5400],
    ['2d', 172_800],
    ['600', 600],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0', '-5m', '5 minutes', 'm', '1w'])('refuses "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});
