import { forEachLimited } from '../shared/concurrency';
import type { JobWorkRecord } from './job-work-record';
import { WorkRun } from './job-work-run';
import type { JobWorkPorts, JobWorkSettings, WorkRunOptions, WorkRunResult, WorkTally } from './job-work-store';
import { LeaseEnding } from './lease-holder';

export type { JobWorkSettings, WorkRunOptions, WorkRunResult, WorkTally };

export const DEFAULT_WORK_SETTINGS: JobWorkSettings = {
  leaseMs: 60_000,
  fenceMs: 20_000,
  pageSize: 2000,
  concurrency: 25,
  inlineBudget: 500,
};

/** What requests need of the job work: run some of it, queue the rest, see where it stands. */
export type JobWorkRunner = Pick<JobWork, 'run' | 'request' | 'get' | 'inlineBudget'>;

/** Runs a job's fan-out and cascades, one lease-holding worker at a time, resumable from its record after any crash. */
export class JobWork {
  private readonly settings: JobWorkSettings;

  constructor(
    private readonly ports: JobWorkPorts,
    settings: Partial<JobWorkSettings> = {},
  ) {
    this.settings = { ...DEFAULT_WORK_SETTINGS, ...settings };
  }

  /** Jobs whose worker died (no live lease, work left): each asked for again. */
  async resumeStalled(): Promise<string[]> {
    const stalled = await this.ports.store.stalled(this.ports.leaseClock(), this.ports.clock());
    await forEachLimited(stalled, 10, (jobId) => this.ports.queue.request(jobId));
    return stalled;
  }

  /** Every job with work left, whatever holds it (the one local runner, starting, takes them all over). */
  workLeft(): Promise<string[]> {
    return this.ports.store.stalled(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  /** Things a request does itself before it hands the rest of a job's work to the queue. */
  get inlineBudget(): number {
    return this.settings.inlineBudget;
  }

  /** Asks the queue to run the job's work. */
  request(jobId: string): Promise<void> {
    return this.ports.queue.request(jobId);
  }

  /** Where the job's work stands. */
  get(jobId: string): Promise<JobWorkRecord | undefined> {
    return this.ports.store.get(jobId);
  }

  async run(jobId: string, options: WorkRunOptions = {}): Promise<WorkRunResult> {
    const owner = this.ports.newOwner();
    const claimed = await this.ports.store.claim(
      jobId,
      owner,
      this.leaseEnd(),
      this.ports.leaseClock(),
      options.breakLease ?? false,
    );
    if (!claimed.applied) return claimed.work ? 'held' : 'none';
    const run = new WorkRun(this.ports, this.settings, owner, claimed.work, options);
    try {
      const result = await run.toEnd();
      if (result === 'handed-off') await this.ports.queue.request(jobId);
      return result;
    } catch (error) {
      // The next worker starts at once, not when the lease runs out (refused if another took over, or the table is
      // down).
      if (!(error instanceof LeaseEnding)) await this.ports.store.release(jobId, owner, false).catch(() => undefined);
      throw error;
    }
  }

  private leaseEnd(): number {
    return this.ports.leaseClock() + this.settings.leaseMs;
  }
}
