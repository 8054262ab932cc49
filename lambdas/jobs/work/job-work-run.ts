import { type FanOutWindow, isExhausted, nextWindow, windowSize } from '../fleet/fan-out';
import { type JobRecord, newExecution } from '../management/job';
import { afterRelease, allowanceAt, type ReleaseAllowance } from '../rollout/release-rate';
import { scheduleAction } from '../rollout/schedule';
import { quiet } from '../shared/concurrency';
import { endCascade } from './cascade-end';
import { cascadePage } from './cascade-page';
import type { JobWorkRecord } from './job-work-record';
import type { JobWorkPorts, JobWorkSettings, WorkRunOptions, WorkRunResult, WorkTally } from './job-work-store';
import { LeaseHolder } from './lease-holder';
import { checkRegistered } from './registry-check';
import { requeueRemoved } from './requeue-removed';

/** One claim's worth of work: a loop of steps, each ending in a conditional write of the record. */
export class WorkRun extends LeaseHolder {
  private readonly tally: WorkTally;
  /** The registry check of the last page written, running beside the next page's writes. */
  private checking: Promise<void> | undefined;
  /** Pages whose executions and registry check are done. */
  private checkedThrough: number;
  /** The next page's things, read while this page's executions are written. */
  private prefetched: Promise<FanOutWindow> | undefined;
  /** The claim found pages a worker before it wrote and never confirmed. */
  private recovering: boolean;
  private seen: Set<string> | undefined;
  private job: JobRecord | undefined;

  constructor(
    ports: JobWorkPorts,
    settings: JobWorkSettings,
    owner: string,
    work: JobWorkRecord,
    private readonly options: WorkRunOptions,
  ) {
    super(ports, settings, owner, work);
    this.tally = options.tally ?? { fannedOut: 0, cascaded: 0 };
    this.recovering = work.pages > work.confirmed;
    this.checkedThrough = work.confirmed;
  }

  async toEnd(): Promise<WorkRunResult> {
    const job = await this.ports.jobs.getJob(this.work.jobId);
    if (!job || job.incarnation !== this.work.incarnation) {
      // A record its job no longer has (it cannot happen through the API: both go in one transaction); nothing to do.
      await this.ports.store.release(this.work.jobId, this.owner, false);
      return 'none';
    }
    this.job = job;
    for (;;) {
      const step = this.work.cascade
        ? await this.cascadeStep()
        : ((await this.scheduleStep()) ?? (!this.work.fanOutDone ? await this.fanOutStep() : await this.finish()));
      if (step !== 'continue') return step;
    }
  }

  private get remaining(): number {
    return (this.options.budget ?? Number.POSITIVE_INFINITY) - this.tally.fannedOut - this.tally.cascaded;
  }

  /** Out of budget or time: confirm what is written and let the queue carry on. */
  private mustHandOff(): boolean {
    return this.remaining <= 0 || this.options.hasTimeLeft?.() === false;
  }

  /** Lets the work go: to the queue, or (`parkUntil`, a rollout's next window) to the resume schedule. */
  private async handOff(parkUntil?: number): Promise<WorkRunResult | 'continue'> {
    await this.settleCheck();
    if (!this.work.cascade && this.work.pages > this.work.confirmed) {
      const confirmed = await this.ports.store.confirmPages(this.work, this.owner, this.renewal());
      // Refused: a request came in (carry on with it rather than hand off) or another worker took over.
      if (!confirmed.applied) return this.adopt(confirmed);
      this.work = confirmed.work;
    }
    if (parkUntil !== undefined)
      return (await this.ports.store.park(this.work.jobId, this.owner, parkUntil)).applied ? 'waiting' : 'lost';
    const released = await this.ports.store.release(this.work.jobId, this.owner, false);
    return released.applied ? 'handed-off' : 'lost';
  }

  /**
   * A scheduled job: wait for its start or next window, start it, or end it as its endBehavior says (undefined: carry
   * on).
   */
  private async scheduleStep(): Promise<WorkRunResult | 'continue' | undefined> {
    const job = this.job!;
    const action = scheduleAction(job.schedulingConfig, job.status, this.work.fanOutDone, this.ports.clock());
    if (action.kind === 'go') return undefined;
    if (action.kind === 'park') return this.handOff(action.until);
    if (action.kind === 'stop') return this.finishFanOut();
    const now =
      action.kind === 'start'
        ? await this.ports.jobs.startScheduled(job)
        : await this.ports.jobs.endJob(job, action.force);
    if (now?.incarnation === job.incarnation) this.job = now;
    // Started, look again (it may wait for a window); canceled (or the job gone), the record as it stands has the
    // cascade (or nothing).
    return action.kind === 'start' && now?.incarnation === job.incarnation
      ? 'continue'
      : this.adopt(await this.reread());
  }

  /** What a rollout lets this step release now (undefined: the job has no rollout rate, all at once). */
  private releaseNow(): ReleaseAllowance | undefined {
    const config = this.job!.jobExecutionsRolloutConfig;
    if (!config || !this.work.rollout) return undefined;
    return allowanceAt(config, this.work.rollout, this.ports.clock(), this.job!.executionCounts?.SUCCEEDED ?? 0);
  }

  private async fanOutStep(): Promise<WorkRunResult | 'continue'> {
    const job = this.job!;
    if (this.recovering) {
      this.recovering = false;
      // A worker before this one died after writing these pages, with some of their executions written, some not, some
      // moved on by devices since.
      for (let page = this.work.confirmed + 1; page <= this.work.pages; page++) {
        await this.rewritePage(await this.ports.store.readPage(job, page));
      }
      const confirmed = await this.ports.store.confirmPages(this.work, this.owner, this.renewal());
      if (confirmed.applied) this.checkedThrough = confirmed.work.pages;
      return this.adopt(confirmed);
    }
    if (!this.work.sources || isExhausted(this.work)) return this.finishFanOut();
    if (this.mustHandOff()) return this.handOff();
    // A rollout releases what its window allows, then waits for the next window.
    const release = this.releaseNow();
    if (release && release.allowed <= 0) return this.handOff(release.nextWindowAt);
    const limit = Math.min(this.remaining, release?.allowed ?? Number.POSITIVE_INFINITY);
    this.seen ??= new Set(await this.ports.store.readAllPages(job));
    let window = await (this.prefetched ?? this.readWindow(limit));
    this.prefetched = undefined;
    if (windowSize(window) > limit) window = await this.readWindow(limit);
    // Before the page that moves the fan-out past them: a worker that dies in between reads them again.
    await requeueRemoved(this.ports, this.settings, this.work, job, window.again);
    if (!windowSize(window)) {
      this.work = { ...this.work, cursor: window.cursor };
      return this.finishFanOut();
    }
    // The page before this one may still be under its registry check: the record confirms only pages done with theirs.
    const rollout = release && afterRelease(release.state, window.things.length);
    const added = await this.ports.store.addPage(
      this.work,
      this.owner,
      window.things,
      window.cursor,
      this.renewal(),
      this.checkedThrough,
      rollout,
    );
    if (!added.applied) {
      await this.settleCheck();
      return this.adopt(added);
    }
    this.work = added.work;
    const page = this.work.pages;
    for (const thing of window.things) this.seen.add(thing);
    // The next page's things are read while this page's executions are written.
    const left = limit - windowSize(window);
    if (left > 0 && !isExhausted(this.work)) this.prefetched = quiet(this.readWindow(left));
    const queuedAt = this.queuedAtNow();
    const executions = window.things.map((thingName) => newExecution(job, thingName, queuedAt));
    // A continuous job's joiners get executions from the membership reactor meanwhile: nothing is written over one.
    if (this.work.continuous) await this.requeueFound(await this.ports.executions.writeIfAbsent(executions));
    else await this.ports.executions.writeNew(executions, () => this.fence());
    this.tally.fannedOut += windowSize(window);
    // The previous page's check ran beside these writes; this page's runs beside the next page's.
    await this.settleCheck();
    this.checking = quiet(
      this.checkRegistered(window.things).then(() => {
        this.checkedThrough = page;
      }),
    );
    return 'continue';
  }

  private readWindow(limit: number): Promise<FanOutWindow> {
    return nextWindow(this.work, this.job!, this.seen!, Math.min(this.settings.pageSize, limit), this.ports.registry);
  }

  /**
   * Waits for the registry check of the last page written (a failure of it fails the run: the page stays unconfirmed).
   */
  private async settleCheck(): Promise<void> {
    const checking = this.checking;
    this.checking = undefined;
    await checking;
  }

  private async finishFanOut(): Promise<'continue' | WorkRunResult> {
    await this.settleCheck();
    return this.adopt(await this.ports.store.finishFanOut(this.work, this.owner));
  }

  /** A page a dead worker may have half-written: its executions only where absent, then the registry check. */
  private async rewritePage(things: string[]): Promise<void> {
    const job = this.job!;
    const queuedAt = this.queuedAtNow();
    await this.requeueFound(
      await this.ports.executions.writeIfAbsent(things.map((t) => newExecution(job, t, queuedAt))),
    );
    await this.checkRegistered(things);
    this.tally.fannedOut += things.length;
  }

  /** A rollout's things are queued when it releases them (AWS's queuedAt); the others when the job was created. */
  private queuedAtNow(): number {
    return this.job!.jobExecutionsRolloutConfig ? this.ports.clock() : this.job!.createdAt;
  }

  /** Things that had an execution of the job already: see requeue-removed.ts. */
  private requeueFound(things: string[]): Promise<void> {
    return requeueRemoved(this.ports, this.settings, this.work, this.job!, things);
  }

  /** See registry-check.ts. */
  private checkRegistered(things: string[]): Promise<void> {
    return checkRegistered(this.ports, this.settings, this.work, this.job!, things);
  }

  private async cascadeStep(): Promise<WorkRunResult | 'continue'> {
    const cascade = this.work.cascade!;
    const job = this.job!;
    const pages = this.work.sources ? this.work.pages : 1;
    if (cascade.page < pages || (this.work.continuous && !cascade.joinedDone)) {
      if (this.mustHandOff()) return this.handOff();
      const { page, things, progress } = await cascadePage(this.ports, this.settings, this.work, job, pages);
      this.tally.cascaded += things.length;
      return this.adopt(await this.ports.store.cascadeProgress(this.work, this.owner, page, this.renewal(), progress));
    }
    const ended = await endCascade(this.ports, this.work, job, this.owner);
    return ended === 'done' ? 'done' : this.adopt(ended ?? (await this.reread()));
  }

  /** Nothing left: let go, unless a request came in since the last step. */
  private async finish(): Promise<WorkRunResult | 'continue'> {
    const released = await this.ports.store.release(this.work.jobId, this.owner, true);
    return released.applied ? 'done' : this.adopt(released);
  }
}
