import { cpus, totalmem } from 'node:os';

/**
 * The goals the fleets issue set: CreateJob answers fast at any size, and the fan-out runs close to its BatchWriteItem
 * floor.
 */
export const FAN_OUT_GOALS = { createJobAnswerMs: 1000, floorRatio: 0.8 };

export interface FanOutResults {
  generatedAt: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  things: number;
  /**
   * SNAPSHOT (blind BatchWriteItem fan-out) or CONTINUOUS (conditional PutItem fan-out); absent in results from before:
   * SNAPSHOT.
   */
  targetSelection?: 'SNAPSHOT' | 'CONTINUOUS';
  createJobAnswerMs: number;
  fanOut: { seconds: number; executionsPerSecond: number };
  floor: { seconds: number; executionsPerSecond: number };
  floorRatio: number;
  /**
   * CPU seconds of DynamoDB Local's one storage thread under each side, and
   * floor / fan-out: the most the throughput ratio can be while that thread
   * is what limits both (absent where /proc cannot tell, and in results from before).
   */
  storageThread?: { fanOutSeconds: number; floorSeconds: number; ratio: number };
  cancelCascadeSeconds: number;
  deleteCascadeSeconds: number;
  /** DynamoDB calls of the fan-out (CreateJob's part and the worker's), per command, and per target. */
  fanOutCalls: Record<string, number>;
  callsPerTarget: number;
  /** The floor's: one BatchWriteItem per 25 executions. */
  floorCallsPerTarget: number;
  cancelCallsPerTarget: number;
  deleteCallsPerTarget: number;
  shortfalls: string[];
}

/** What a run measured: times in ms, DynamoDB calls by command. */
export interface FanOutMeasurements {
  createJobAnswerMs: number;
  fanOutMs: number;
  /** CPU ms of DynamoDB Local's storage thread (undefined where /proc cannot tell). */
  fanOutStorageMs: number | undefined;
  fanOutCalls: Record<string, number>;
  cancelMs: number;
  cancelCalls: Record<string, number>;
  deleteMs: number;
  deleteCalls: Record<string, number>;
  floorMs: number;
  /** The same under the floor. */
  floorStorageMs: number | undefined;
  floorCalls: Record<string, number>;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const perTarget = (calls: Record<string, number>, things: number) =>
  Math.round((Object.values(calls).reduce((a, b) => a + b, 0) / things) * 10_000) / 10_000;

/** A run's results from what it measured, with each goal it missed in a sentence. */
export function fanOutResults(
  options: { things: number; continuous?: boolean },
  measured: FanOutMeasurements,
): FanOutResults {
  const {
    createJobAnswerMs,
    fanOutMs,
    fanOutStorageMs,
    fanOutCalls,
    cancelMs,
    cancelCalls,
    deleteMs,
    deleteCalls,
    floorMs,
    floorStorageMs,
    floorCalls,
  } = measured;
  const floorRatio = Math.round((floorMs / fanOutMs) * 100) / 100;
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    things: options.things,
    targetSelection: options.continuous ? 'CONTINUOUS' : 'SNAPSHOT',
    createJobAnswerMs: Math.round(createJobAnswerMs),
    fanOut: { seconds: seconds(fanOutMs), executionsPerSecond: Math.round(options.things / (fanOutMs / 1000)) },
    floor: { seconds: seconds(floorMs), executionsPerSecond: Math.round(options.things / (floorMs / 1000)) },
    floorRatio,
    ...(fanOutStorageMs && floorStorageMs
      ? {
          storageThread: {
            fanOutSeconds: seconds(fanOutStorageMs),
            floorSeconds: seconds(floorStorageMs),
            ratio: Math.round((floorStorageMs / fanOutStorageMs) * 100) / 100,
          },
        }
      : {}),
    cancelCascadeSeconds: seconds(cancelMs),
    deleteCascadeSeconds: seconds(deleteMs),
    fanOutCalls,
    callsPerTarget: perTarget(fanOutCalls, options.things),
    floorCallsPerTarget: perTarget(floorCalls, options.things),
    cancelCallsPerTarget: perTarget(cancelCalls, options.things),
    deleteCallsPerTarget: perTarget(deleteCalls, options.things),
    shortfalls: [
      ...(createJobAnswerMs > FAN_OUT_GOALS.createJobAnswerMs
        ? [
            `CreateJob answered in ${Math.round(createJobAnswerMs)} ms (goal: under ${FAN_OUT_GOALS.createJobAnswerMs} ms)`,
          ]
        : []),
      ...(floorRatio < FAN_OUT_GOALS.floorRatio
        ? [
            `the fan-out ran at ${floorRatio} of its BatchWriteItem floor (goal: ${FAN_OUT_GOALS.floorRatio} or more)${
              options.continuous
                ? "; a continuous job's fan-out writes every execution conditionally (transactions of 100 puts) by design, never in the floor's blind batches"
                : ''
            }`,
          ]
        : []),
    ],
  };
}
