import type { JobExecutionRecord } from '../execution/execution';
import type { ExecutionCancellation, WriteOutcome } from '../execution/store';
import type { JobRecord } from '../management/job';
import type { RolloutState } from '../rollout/release-rate';
import type { Clock } from '../shared/clock';
import type { JobRef } from '../shared/ports';
import type { FanOutCursor, JobWorkRecord, WorkWriteOutcome } from './job-work-record';

/**
 * The ports a job's work runs on: its store, the executions and registry a fan-out writes and reads, the queue, and
 * how a worker holds, paces and runs it. What a job's work record is: job-work-record.ts.
 */

/** The work records and their pages. Every write but the first is conditional on the caller holding the lease. */
export interface JobWorkStore {
  get(jobId: string): Promise<JobWorkRecord | undefined>;
  /**
   * The lease, if it is free, expired, or `breakLease` (the one local runner after a crash: nobody else can hold it).
   */
  claim(jobId: string, owner: string, leaseUntil: number, now: number, breakLease: boolean): Promise<WorkWriteOutcome>;
  /**
   * One more page of things, the cursor after them, pages up to `confirmed` confirmed and the lease renewed; refused
   * once a cascade is asked for or the lease is lost.
   */
  addPage(
    work: JobWorkRecord,
    owner: string,
    things: string[],
    cursor: FanOutCursor,
    leaseUntil: number,
    confirmed: number,
    rollout?: RolloutState,
  ): Promise<WorkWriteOutcome>;
  /** Every page confirmed (after a worker redid the unconfirmed ones). */
  confirmPages(work: JobWorkRecord, owner: string, leaseUntil: number): Promise<WorkWriteOutcome>;
  /**
   * The fan-out done: every page confirmed, and the job marked as having all its executions (in one transaction);
   * refused once a cascade is asked for.
   */
  finishFanOut(work: JobWorkRecord, owner: string): Promise<WorkWriteOutcome>;
  readPage(job: JobRef, page: number): Promise<string[]>;
  /** Every thing on every page. */
  readAllPages(job: JobRef): Promise<string[]>;
  /**
   * Pages up to `page` (and joined things up to `joined`) done by the cascade of this serial; refused if another
   * request replaced it, or the lease is lost.
   */
  cascadeProgress(
    work: JobWorkRecord,
    owner: string,
    page: number,
    leaseUntil: number,
    joined?: { after?: string; done: boolean },
  ): Promise<WorkWriteOutcome>;
  /** A cancel's cascade done: no more fan-out, the job marked as having all its executions. */
  finishCancel(work: JobWorkRecord, owner: string): Promise<WorkWriteOutcome>;
  /** A delete's cascade done: the pages, the work record and the job item gone. */
  finishDelete(work: JobWorkRecord, owner: string): Promise<{ applied: boolean }>;
  /**
   * Lets go of the lease; with `ifIdle`, only when nothing is left to do (refused otherwise: the caller carries on).
   */
  release(jobId: string, owner: string, ifIdle: boolean): Promise<WorkWriteOutcome>;
  /** Lets go of the lease until a rollout's next window opens at `releaseAt` (service time). */
  park(jobId: string, owner: string, releaseAt: number): Promise<WorkWriteOutcome>;
  /** Jobs with work left and no live lease as of `now` (lease clock), leaving out rollouts parked past `serviceNow`. */
  stalled(now: number, serviceNow: number): Promise<string[]>;
}

/** What a fan-out writes and deletes of executions. */
export interface FanOutExecutions {
  /**
   * New executions, blind (BatchWriteItem): only for things no earlier page
   * of the job holds. `fence` runs before each request and throws once the
   * lease is too close to its end to send one.
   */
  writeNew(executions: JobExecutionRecord[], fence: () => void): Promise<void>;
  /**
   * Executions only where none of the job's incarnation is (a page a dead worker may have partly written, or a
   * continuous job's); the things that had one already, whose execution was left as it was.
   */
  writeIfAbsent(executions: JobExecutionRecord[]): Promise<string[]>;
  /** A thing's execution of the job (read strongly). */
  get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined>;
  deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void>;
  cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome>;
  /**
   * Every execution of the job left in the executionsByJob index, deleted; how many (a job from before pages, or one
   * the index had late).
   */
  deleteListed(jobId: string): Promise<number>;
}

/** What a fan-out reads of the registry. */
export interface FanOutRegistry {
  /** Those of `thingNames` that are not registered. */
  missingThings(thingNames: readonly string[]): Promise<string[]>;
  /**
   * Those of `thingNames` a DeleteThing began on lately (it marks a thing before it deletes it; marks are kept a day),
   * read strongly.
   */
  markedDeleted(thingNames: readonly string[]): Promise<string[]>;
  /**
   * Up to `limit` members of one group that joined it at or before `asOf`, after `after`; `after` of the next read,
   * absent at the end.
   */
  memberPage(
    groupName: string,
    asOf: number,
    limit: number,
    after?: Record<string, unknown>,
  ): Promise<{ things: string[]; after?: Record<string, unknown> }>;
  /** For each thing, the group paths of its memberships in these trees (by root group), read strongly. */
  membershipPaths(thingNames: readonly string[], rootGroupNames: readonly string[]): Promise<Map<string, string[][]>>;
}

/** What a continuous job's work does besides a snapshot's. */
export interface ContinuousWork {
  /** QUEUED -> REMOVED (a thing that left the job's groups before its execution was written). */
  removeQueued(job: JobRef, thingName: string, now: number): Promise<boolean>;
  /**
   * A REMOVED execution queued again (`replacing` it), as the membership reactor writes a joiner's: see
   * ContinuousJobsStore.addExecution.
   */
  addExecution(
    job: JobRecord,
    execution: JobExecutionRecord,
    replacing: JobExecutionRecord | undefined,
  ): Promise<boolean>;
  /** Up to `limit` things that joined the job later, after `after`. */
  joinedPage(job: JobRef, limit: number, after?: string): Promise<{ things: string[]; after?: string }>;
  /** The job no longer listed under these groups: canceled or deleted, it takes on no more things. */
  unlistTargets(job: JobRef, groupNames: readonly string[]): Promise<void>;
  /** Every joined entry of the job deleted. */
  deleteJoined(job: JobRef): Promise<void>;
}

/** Asks for a job's work to be run off the request path (SQS deployed, the runner's worker locally). */
export interface JobWorkQueue {
  request(jobId: string): Promise<void>;
}

/** How a worker holds and paces a job's work. */
export interface JobWorkSettings {
  /** How long a claim or a renewal holds the work (wall clock). */
  leaseMs: number;
  /** No blind write is sent this close to the lease's end: a worker that took over never meets one still on its way. */
  fenceMs: number;
  /** Things per page (at most 2,000: a page of the longest thing names stays well inside DynamoDB's 400 KB item). */
  pageSize: number;
  /** Conditional writes (cancels, recovered pages) in flight at once. */
  concurrency: number;
  /**
   * Things a CreateJob, CancelJob or DeleteJob fans out, cancels or deletes
   * itself before it answers; past them, the queue's worker carries on. A
   * job of up to this many things is done when the request answers.
   */
  inlineBudget: number;
}

export interface WorkRunOptions {
  /**
   * Things it may take on (fan out, cancel, delete) before it hands the rest to the queue: a request doing the first
   * part itself.
   */
  budget?: number;
  /** False once the run must stop (Lambda's remaining time); it hands the rest to the queue. */
  hasTimeLeft?: () => boolean;
  /** Take the lease whoever holds it: only the local runner at start, which knows no other worker is alive. */
  breakLease?: boolean;
  /**
   * Filled in as the run goes (so a run that fails still tells what it did): the worker's metrics. Pass a fresh one
   * (zeros): the budget counts from it.
   */
  tally?: WorkTally;
}

/** What a run did so far. */
export interface WorkTally {
  /**
   * Targets given their execution (a recovered page's, written again where absent, included, and a continuous job's
   * met again, see requeue-removed.ts).
   */
  fannedOut: number;
  /** Targets a cancel or delete cascade walked. */
  cascaded: number;
}

/**
 * done: nothing left; handed-off: the rest is queued; waiting: a rollout released all its window allows (the resume
 * schedule picks it up when the next opens); held: another worker has it; none: no such work; lost: another worker took
 * over mid-run.
 */
export type WorkRunResult = 'done' | 'handed-off' | 'waiting' | 'held' | 'none' | 'lost';

export interface JobWorkPorts {
  store: JobWorkStore;
  executions: FanOutExecutions;
  registry: FanOutRegistry;
  continuous: ContinuousWork;
  jobs: {
    getJob(jobId: string): Promise<JobRecord | undefined>;
    /**
     * A scheduled job's start: SCHEDULED -> IN_PROGRESS (only from SCHEDULED, that incarnation); the job as it stands
     * after.
     */
    startScheduled(job: JobRecord): Promise<JobRecord | undefined>;
    /**
     * A scheduled job's end (CANCEL or FORCE_CANCEL): canceled as CancelJob would, its cascade on the work record; the
     * job as it stands after.
     */
    endJob(job: JobRecord, force: boolean): Promise<JobRecord | undefined>;
  };
  queue: JobWorkQueue;
  /** Service time: when cancels happen. */
  clock: Clock;
  /** Wall-clock time for leases (a test's frozen service clock must not freeze them). */
  leaseClock: Clock;
  newOwner: () => string;
}
