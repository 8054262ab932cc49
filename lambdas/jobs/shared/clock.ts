/** Milliseconds since the epoch. Injected everywhere time matters so tests never sleep. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const toEpochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** Management-API timestamps keep fractions, as botocore's `timestamp` type expects. */
export const toFractionalSeconds = (ms: number): number => ms / 1000;

export const MINUTE_MS = 60_000;
