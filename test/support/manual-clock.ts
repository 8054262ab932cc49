import type { Clock } from '../../lambdas/jobs/shared/clock';

/** A clock that moves only when told to. */
export function manualClock(startMs = 1_700_000_000_000): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = startMs;
  const clock = (() => now) as Clock & { advance(ms: number): void; set(ms: number): void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}
