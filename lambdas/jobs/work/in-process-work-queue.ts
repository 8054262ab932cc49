import type { JobWorkQueue, WorkRunOptions, WorkRunResult } from './job-work-store';

/**
 * Tries of one request that keeps failing before it is left to the next resume (as SQS's receive count before its
 * dead-letter queue).
 */
const MAX_ATTEMPTS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The job work queue inside one process: the local runner's (and the
 * tests'), where a worker Lambda would take SQS messages. A request runs at
 * once in the background, one run per job at a time (a request during a run
 * runs it again after); a failed run is tried again after a pause, as SQS
 * would redeliver its message.
 */
export class InProcessWorkQueue implements JobWorkQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private runner: ((jobId: string, options: WorkRunOptions) => Promise<WorkRunResult>) | undefined;
  private stopping = false;
  private held: Set<string> | undefined;

  constructor(private readonly retryDelayMs = 500) {}

  /** The worker it runs (set once the services are built: the worker itself requests through this queue). */
  bind(runner: (jobId: string, options: WorkRunOptions) => Promise<WorkRunResult>): void {
    this.runner = runner;
  }

  request(jobId: string): Promise<void> {
    this.schedule(jobId, {});
    return Promise.resolve();
  }

  /**
   * Runs these jobs' work whoever holds it: the one local runner after a crash, which knows no other worker is alive.
   */
  takeOver(jobIds: readonly string[]): void {
    for (const jobId of jobIds) this.schedule(jobId, { breakLease: true });
  }

  /** Requests wait (a test looking at a job mid-work) until release(). */
  hold(): void {
    this.held ??= new Set();
  }

  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const jobId of held ?? []) this.schedule(jobId, {});
  }

  /** Resolves once no run is going (a test waiting for the fan-out it started). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  /** Runs going now stop at their next step (handing their work back), and no more start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  private schedule(jobId: string, options: WorkRunOptions): void {
    if (this.stopping) return;
    if (this.held) {
      this.held.add(jobId);
      return;
    }
    if (this.running.has(jobId)) {
      this.again.add(jobId);
      return;
    }
    const run = this.runUntilQuiet(jobId, options).finally(() => this.running.delete(jobId));
    this.running.set(jobId, run);
  }

  private async runUntilQuiet(jobId: string, firstRunOptions: WorkRunOptions): Promise<void> {
    if (!this.runner) throw new Error('The work queue has no worker bound');
    let options = firstRunOptions;
    for (let failures = 0; !this.stopping; ) {
      this.again.delete(jobId);
      try {
        await this.runner(jobId, { ...options, hasTimeLeft: () => !this.stopping });
      } catch (error) {
        if (++failures === MAX_ATTEMPTS) {
          console.error(
            JSON.stringify({
              level: 'error',
              message: 'job work keeps failing; left to the next resume',
              jobId,
              error: String(error),
            }),
          );
          return;
        }
        console.error(
          JSON.stringify({ level: 'warn', message: 'job work failed; trying again', jobId, error: String(error) }),
        );
        await sleep(this.retryDelayMs * failures);
        continue;
      }
      if (!this.again.has(jobId)) return;
      // A takeover's right to break the lease is spent on its first run.
      options = {};
    }
  }
}
