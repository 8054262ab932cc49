/** How long a device test waits for any one answer before it fails, naming what it waited for. */
export const ANSWER_DEADLINE_MS = 10_000;

/** `promise`, or a rejection naming `what` once `ms` have passed (an SDK call that never answers fails the test). */
export function settledWithin<T>(promise: Promise<T>, what: string, ms = ANSWER_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Values as they arrive (from an SDK's callback), handed out in order: next() waits for one within the deadline, so a
 * test waits on the answer itself, never on a pause.
 */
export class Inbox<T> {
  private readonly values: T[] = [];
  private readonly waiters: ((value: T) => void)[] = [];

  readonly push = (value: T): void => {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.values.push(value);
  };

  next(what: string, ms = ANSWER_DEADLINE_MS): Promise<T> {
    if (this.values.length > 0) return Promise.resolve(this.values.shift()!);
    let waiter!: (value: T) => void;
    const arrived = new Promise<T>((resolve) => (waiter = resolve));
    this.waiters.push(waiter);
    return settledWithin(arrived, what, ms).catch((error: unknown) => {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      throw error;
    });
  }
}
