import type { RolloutState } from '../rollout/release-rate';
import type { Actor } from '../shared/actor';

/**
 * A job's work off the request path, and the ports it runs on. Each job has
 * one work record beside its job item: where its fan-out stands (a cursor
 * over its sources, and the pages of things it has taken on so far), the
 * cascade a CancelJob or DeleteJob asked for, and the lease of the one worker
 * doing any of it. Pages are written before their executions, so they are
 * the exact list of every thing that may have an execution of the job:
 * cascades walk them, and a worker that takes over redoes only the pages not
 * yet confirmed.
 *
 * The ports it runs on are in job-work-store.ts.
 */

/**
 * Where a fan-out reads its things, in order: the things the job names, then each member list of its target groups (and
 * the groups below them).
 */
export type FanOutSource =
  | { kind: 'things' }
  | { kind: 'group'; targetArn: string; groupName: string; rootGroupName?: string };

export interface FanOutCursor {
  /** Index into the sources. */
  source: number;
  /** How many of the named things are taken (the `things` source). */
  position: number;
  /** Where the member list read stopped (a `group` source): the store's own key, opaque here. */
  after?: Record<string, unknown>;
}

export type CascadeKind = 'cancel' | 'delete';

export interface JobCascade {
  kind: CascadeKind;
  force: boolean;
  /** New for each CancelJob or DeleteJob: a second request restarts the cascade from the first page. */
  serial: string;
  /** Pages done. */
  page: number;
  /**
   * Who asked for a cancel's cascade (absent on records from before the history): what its cancels are stamped with.
   */
  by?: Actor;
  /** A continuous job's things that joined later, after the pages: the last one done (absent: none yet). */
  joinedAfter?: string;
  /** Every joined thing done. */
  joinedDone?: boolean;
}

export interface JobWorkRecord {
  jobId: string;
  incarnation: string;
  /** Absent on a job from before the fan-out had pages: its executions are its targets (legacy), one page. */
  sources?: FanOutSource[];
  /**
   * A continuous job's: it reads its groups as they are (no snapshot), writes only where no execution of the job is
   * (joiners get theirs from the membership reactor meanwhile), and checks that each thing is still in a target group.
   */
  continuous?: boolean;
  /** The named things must be registered (the job was created without implicit things). Group members always are. */
  requireRegistered: boolean;
  /** A snapshot job's executions go to the members of its groups as of this time (the job's creation). */
  snapshotAt: number;
  cursor: FanOutCursor;
  /** Pages of things written. */
  pages: number;
  /**
   * Pages whose executions are all written and checked; a page past it may be only partly written (its worker died).
   */
  confirmed: number;
  /** Things on the pages. */
  targetCount: number;
  /** Every source read to its end, or the fan-out stopped for good (the job canceled or being deleted). */
  fanOutDone: boolean;
  cascade?: JobCascade;
  /** A job with a rollout rate: what it has released, and in which window. */
  rollout?: RolloutState;
  /** Parked until this window opens (service time, ms): the resume schedule leaves it alone until then. */
  releaseAt?: number;
  owner?: string;
  /** Until when the owner holds the work (wall clock, ms). */
  leaseUntil?: number;
}

export type WorkWriteOutcome = { applied: true; work: JobWorkRecord } | { applied: false; work?: JobWorkRecord };
