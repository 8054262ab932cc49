/**
 * Runs `work` over `items` with at most `limit` calls in flight, in order of
 * start. After a failure it starts nothing more, lets what is in flight
 * settle, then rejects with the first failure: when it returns, nothing it
 * started is still running.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Before the nth retry of a write that met another one: capped exponential backoff, with jitter, so that writers racing
 * for one item spread out instead of meeting again at once.
 */
export const backOff = (attempt: number) => sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));

/** A promise that is awaited later: its failure must not count as unhandled meanwhile. */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
