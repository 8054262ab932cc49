/** The simulated devices' draws: what each attempt of each thing does, the same for the same seed. */

/** A small, fast seeded generator (mulberry32): numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Outcome = 'SUCCEEDED' | 'FAILED' | 'SILENT';

export interface Attempt {
  outcome: Outcome;
  /** Minutes from its start to its report. */
  minutes: number;
}

/** What the thing at `index` does on its attempt `executionNumber`. */
export function attemptOf(
  seed: number,
  index: number,
  executionNumber: number,
  fleet: { failureRate: number; silentRate?: number; minutesToFinish: [number, number] },
): Attempt {
  const draw = random(seed * 1_000_003 + index * 7919 + executionNumber * 104_729);
  const roll = draw();
  const outcome: Outcome =
    roll < (fleet.silentRate ?? 0)
      ? 'SILENT'
      : roll < (fleet.silentRate ?? 0) + fleet.failureRate
        ? 'FAILED'
        : 'SUCCEEDED';
  const [least, most] = fleet.minutesToFinish;
  return { outcome, minutes: least + Math.floor(draw() * (most - least + 1)) };
}
