import { describe, expect, it } from 'vitest';
import {
  afterRelease,
  allowanceAt,
  initialRollout,
  nextRate,
  type RolloutConfig,
  type RolloutState,
  retunedRollout,
  WINDOW_MS,
} from '../../lambdas/jobs/rollout/release-rate';

const T0 = 1_700_000_000_000;

/**
 * Releases all each window allows, one window a minute, with `succeededBy(window)` things succeeded when it opens: what
 * each window released.
 */
function releases(config: RolloutConfig, windows: number, succeededBy: (window: number) => number = () => 0): number[] {
  let state: RolloutState = initialRollout(config);
  const released: number[] = [];
  for (let w = 0; w < windows; w++) {
    const { state: opened, allowed } = allowanceAt(config, state, T0 + w * WINDOW_MS, succeededBy(w));
    state = afterRelease(opened, allowed);
    released.push(allowed);
  }
  return released;
}

describe('a constant rollout rate', () => {
  it.each([
    ['maximumPerMinute 20', { maximumPerMinute: 20 }, [20, 20, 20]],
    ['no maximum: AWS default, 1,000 a minute', {}, [1000, 1000, 1000]],
  ] as const)('%s', (_, config, expected) => {
    expect(releases(config, 3)).toEqual(expected);
  });

  it('opens a window only a full minute after the last one opened: nothing more within it', () => {
    const config = { maximumPerMinute: 20 };
    const first = allowanceAt(config, initialRollout(config), T0, 0);
    const spent = afterRelease(first.state, 20);
    expect(first).toMatchObject({ allowed: 20, nextWindowAt: T0 + WINDOW_MS });
    expect(allowanceAt(config, spent, T0 + WINDOW_MS - 1, 0)).toMatchObject({
      allowed: 0,
      nextWindowAt: T0 + WINDOW_MS,
    });
    expect(allowanceAt(config, spent, T0 + WINDOW_MS, 0)).toMatchObject({
      allowed: 20,
      nextWindowAt: T0 + 2 * WINDOW_MS,
    });
  });

  it('lets a window release the rest of its allowance later on (a fan-out that handed off mid-window)', () => {
    const config = { maximumPerMinute: 20 };
    const partly = afterRelease(allowanceAt(config, initialRollout(config), T0, 0).state, 7);
    expect(allowanceAt(config, partly, T0 + 30_000, 0)).toMatchObject({
      allowed: 13,
      state: { windowStart: T0, released: 7 },
    });
  });

  it('opens the next window at the first release after a pause, not on a fixed grid', () => {
    const config = { maximumPerMinute: 5 };
    const spent = afterRelease(allowanceAt(config, initialRollout(config), T0, 0).state, 5);
    const late = allowanceAt(config, spent, T0 + 5 * WINDOW_MS + 123, 0);
    expect(late).toMatchObject({ allowed: 5, nextWindowAt: T0 + 6 * WINDOW_MS + 123 });
  });
});

describe('an exponential rollout rate', () => {
  const exponential = (
    criteria: RolloutConfig['exponentialRate'] extends infer E
      ? E extends { rateIncreaseCriteria: infer C }
        ? C
        : never
      : never,
    base = 2,
    factor = 2,
    maximumPerMinute = 10,
  ): RolloutConfig => ({
    maximumPerMinute,
    exponentialRate: { baseRatePerMinute: base, incrementFactor: factor, rateIncreaseCriteria: criteria },
  });

  it.each([
    // Each window's opening finds the criterion met since the last step: one step per window, up to the maximum.
    ['notified 2, base 2, factor 2, maximum 10', exponential({ numberOfNotifiedThings: 2 }), [2, 4, 8, 10, 10]],
    // 5 notified: windows of 2 reach it after the third (6 since the start); at 4 a window, after two more (8 since
    // that step).
    ['notified 5, base 2, factor 2', exponential({ numberOfNotifiedThings: 5 }, 2, 2, 100), [2, 2, 2, 4, 4, 8]],
    // A factor that rounds down to the same rate still adds one thing a minute.
    ['factor 1.1 from 1', exponential({ numberOfNotifiedThings: 1 }, 1, 1.1, 100), [1, 2, 3, 4, 5]],
    ['factor 1.5 from 10', exponential({ numberOfNotifiedThings: 1 }, 10, 1.5, 100), [10, 15, 22, 33, 49]],
  ] as const)('%s', (_, config, expected) => {
    expect(releases(config, expected.length)).toEqual(expected);
  });

  it('grows on succeeded things only as they succeed, counted from the last step', () => {
    const config = exponential({ numberOfSucceededThings: 3 }, 2, 2, 50);
    // Succeeded when each window opens: none, 2, 3 (a step), 5, 6 (a step: 3 since the last one).
    const succeeded = [0, 2, 3, 5, 6, 6];
    expect(releases(config, succeeded.length, (w) => succeeded[w]!)).toEqual([2, 2, 4, 4, 8, 8]);
  });

  it('never goes past maximumPerMinute', () => {
    expect(nextRate(exponential({ numberOfNotifiedThings: 1 }, 2, 5, 7), 2)).toBe(7);
    expect(nextRate(exponential({ numberOfNotifiedThings: 1 }, 2, 5, 7), 7)).toBe(7);
  });
});

describe('a rollout retuned by UpdateJob', () => {
  const spent = afterRelease(
    allowanceAt({ maximumPerMinute: 5 }, initialRollout({ maximumPerMinute: 5 }), T0, 0).state,
    5,
  );

  it.each([
    ['a faster rate releases the difference within the same minute', { maximumPerMinute: 12 }, 7],
    ['a slower one releases nothing more this minute', { maximumPerMinute: 3 }, 0],
  ] as const)('%s', (_, config, allowed) => {
    const retuned = retunedRollout(config, spent, 0);
    expect(allowanceAt(config, retuned, T0 + 10_000, 0)).toMatchObject({
      allowed,
      state: { windowStart: T0, released: 5 },
    });
    expect(allowanceAt(config, retuned, T0 + WINDOW_MS, 0).allowed).toBe(config.maximumPerMinute);
  });

  it('starts an exponential rate again from its base, its criterion counted from the update', () => {
    const config: RolloutConfig = {
      maximumPerMinute: 100,
      exponentialRate: {
        baseRatePerMinute: 2,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfSucceededThings: 3 },
      },
    };
    const retuned = retunedRollout(config, spent, 10);
    expect(retuned).toMatchObject({ rate: 2, released: 5, stepAt: { notified: 5, succeeded: 10 } });
    // 12 succeeded by the next window: 2 since the update, not enough.
    expect(allowanceAt(config, retuned, T0 + WINDOW_MS, 12).allowed).toBe(2);
  });

  it("is the config's start when the job had no rate before", () => {
    expect(retunedRollout({ maximumPerMinute: 9 }, undefined, 0)).toEqual(initialRollout({ maximumPerMinute: 9 }));
  });
});
