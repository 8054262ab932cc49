import { type Clock, systemClock } from '../../lambdas/jobs/shared/clock';

/** A clock that runs like the real one, shifted by however far it has been moved forward. */
export interface ControllableClock {
  now: Clock;
  /** Moves time forward; never backward, because deadlines already passed must stay passed. */
  advance(ms: number): void;
  offsetMs(): number;
}

export function controllableClock(base: Clock = systemClock): ControllableClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance: (ms) => {
      if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError('the clock only moves forward, by a finite amount');
      offset += ms;
    },
    offsetMs: () => offset,
  };
}
