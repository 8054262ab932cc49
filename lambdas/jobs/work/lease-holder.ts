import type { JobWorkRecord, WorkWriteOutcome } from './job-work-record';
import type { JobWorkPorts, JobWorkSettings } from './job-work-store';

/** A blind write would be sent too close to the end of the lease: the run stops, its lease left to run out. */
export class LeaseEnding extends Error {}

/**
 * Writes of the record refused in a row with nothing changed before a run gives up (and the queue tries again later).
 */
const MAX_COLLISIONS = 8;

/**
 * A worker's hold on a job's work record: the record as its last write (or
 * read) left it, the lease each conditional write renews, and the fence
 * before each blind write. The run's steps (job-work-run.ts) build on it.
 */
export abstract class LeaseHolder {
  private collisions = 0;
  private leaseUntil: number;

  constructor(
    protected readonly ports: JobWorkPorts,
    protected readonly settings: JobWorkSettings,
    protected readonly owner: string,
    protected work: JobWorkRecord,
  ) {
    this.leaseUntil = work.leaseUntil ?? 0;
  }

  /**
   * The record after a conditional write of it: applied, the run carries on
   * from it; refused, from the record as it stands if a request changed it,
   * or it stops if another worker holds it now.
   */
  protected adopt(outcome: WorkWriteOutcome): 'continue' | 'lost' {
    if (outcome.applied) {
      this.work = outcome.work;
      this.collisions = 0;
      return 'continue';
    }
    const current = outcome.work;
    if (!current || current.owner !== this.owner) return 'lost';
    // Refused with nothing changed: another write collided with this one. Again, a few times; then it is a fault to
    // report.
    if (JSON.stringify(current) === JSON.stringify(this.work)) {
      if (++this.collisions > MAX_COLLISIONS)
        throw new Error(`The work record of ${current.jobId} keeps refusing its worker's writes`);
    } else this.collisions = 0;
    this.work = current;
    return 'continue';
  }

  protected async reread(): Promise<WorkWriteOutcome> {
    const work = await this.ports.store.get(this.work.jobId);
    return { applied: false, ...(work ? { work } : {}) };
  }

  protected renewal(): number {
    this.leaseUntil = this.ports.leaseClock() + this.settings.leaseMs;
    return this.leaseUntil;
  }

  protected fence(): void {
    if (this.ports.leaseClock() > this.leaseUntil - this.settings.fenceMs) {
      throw new LeaseEnding(`The lease on ${this.work.jobId}'s work ends too soon to send another write`);
    }
  }
}
