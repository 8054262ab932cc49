import type { StreamPoller } from './stream-poller';

/** How long a request waits for the stream: until it has not moved for stalledAfterMs, and atMostMs in all. */
export interface CatchUpLimits {
  stalledAfterMs: number;
  atMostMs: number;
}

/**
 * Rounds of consequences a catch-up follows: the records of the writes before it (a device's update), what handling
 * them wrote (the job marked COMPLETED, a continuous job's execution for a thing that joined a group), and what that
 * wrote in turn (the counts of that execution).
 */
const ROUNDS = 3;

/**
 * Lets the stream catch up with every write made before the call, and with what handling those writes wrote in turn,
 * so the caller's next request sees all of it. Unlike drain(), it ends under writes that never stop (other clients
 * keep writing). It gives up, resolving all the same, once the stream has not moved for `stalledAfterMs` (a store that
 * is gone, a batch its retry policy keeps failing: the caller answers with what is there rather than hang), or after
 * `atMostMs` in all; a loaded machine that is slow but moving is waited for.
 */
export async function catchUp(
  poller: Pick<StreamPoller, 'passInFlight' | 'pass' | 'progressedAt'>,
  limits: CatchUpLimits,
): Promise<void> {
  const started = Date.now();
  let done = false;
  const following = (async () => {
    // The pass in flight may have read the shards before the caller's write: the rounds start after it.
    await poller.passInFlight();
    for (let rounds = 0; rounds < ROUNDS; ) {
      const { handled, full } = await poller.pass();
      if (handled === 0) return;
      // A full page left records of this round unread: the round goes on.
      if (!full) rounds++;
    }
  })().then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    const stallsAt = Math.max(poller.progressedAt(), started) + limits.stalledAfterMs;
    const wait = Math.min(stallsAt, started + limits.atMostMs) - Date.now();
    if (wait <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([following, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
    clearTimeout(timer);
  }
}
