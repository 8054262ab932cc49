import { InvalidRequestException } from '../shared/errors';
import { cronOccurrences, parseAwsCron } from './cron';

export { parseAwsCron } from './cron';

/**
 * A job's schedule (CreateJob's schedulingConfig): SCHEDULED until its
 * startTime, releasing only inside its maintenance windows (if it has any),
 * and at its endTime the end behaviour: STOP_ROLLOUT releases nothing more,
 * CANCEL and FORCE_CANCEL cancel the job as CancelJob would (with force).
 * All times are service time, UTC.
 */

export const END_BEHAVIORS = ['STOP_ROLLOUT', 'CANCEL', 'FORCE_CANCEL'] as const;
export type EndBehavior = (typeof END_BEHAVIORS)[number];

export interface MaintenanceWindow {
  /** AWS's cron form: cron(minutes hours day-of-month month day-of-week year), UTC. */
  startTime: string;
  durationInMinutes: number;
}

/** As CreateJob takes it (and DescribeJob shows it). */
export interface SchedulingConfig {
  startTime?: string;
  endTime?: string;
  endBehavior?: EndBehavior;
  maintenanceWindows?: MaintenanceWindow[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/**
 * AWS's bounds: a start or end at least 30 minutes ahead, a start within a year, an end within two years, and 30
 * minutes to two years between them.
 */
export const SCHEDULE_BOUNDS = {
  minAheadMs: 30 * MINUTE_MS,
  startWithinMs: 366 * DAY_MS,
  endWithinMs: 2 * 366 * DAY_MS,
  minSpanMs: 30 * MINUTE_MS,
};

/** YYYY-MM-DDTHH:MM (seconds and a zone optional; none means UTC), as the CLI's timestamps are written. */
const JOB_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A schedule time in ms, or undefined if it is not one. */
export function parseJobTime(text: string): number | undefined {
  const match = JOB_TIME.exec(text);
  if (!match) return undefined;
  const zone = match[7] ?? 'Z';
  const iso =
    `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}` +
    `${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

const timeOf = (text: string | undefined) => (text === undefined ? undefined : parseJobTime(text));

/** Up to `count` openings of a window from `from`, going back (`prev`) or forward (`next`), none past `bound`. */
const openings = (window: MaintenanceWindow, direction: 'prev' | 'next', from: number, count: number, bound?: number) =>
  cronOccurrences(parseAwsCron(window.startTime), direction, from, count, bound);

/**
 * How far ahead a maintenance window must open at least once: 8 years, the longest any calendar date takes to come
 * round (February 29th, from 2096 to 2104: 2100 is no leap year). Any yearly window that opens at all passes; one
 * that never opens (a year gone, February 29th of a common year) would hold its job back forever, and one further off
 * is further than any schedule a job may have (its end within two years).
 */
export const WINDOW_HORIZON_YEARS = 8;

/**
 * Each window opens at least once within WINDOW_HORIZON_YEARS of `from` (the job's start); else
 * InvalidRequestException naming the window (`field`, e.g. schedulingConfig.maintenanceWindows) and its expression.
 */
export function checkWindowsOpen(windows: readonly MaintenanceWindow[] | undefined, from: number, field: string): void {
  const horizon = new Date(from);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + WINDOW_HORIZON_YEARS);
  for (const [i, window] of (windows ?? []).entries()) {
    if (openings(window, 'next', from, 1, horizon.getTime()).length) continue;
    throw new InvalidRequestException(
      `${field}[${i}].startTime: ${window.startTime} opens no window within ${WINDOW_HORIZON_YEARS} years of ` +
        `${new Date(from).toISOString().slice(0, 16)}Z`,
    );
  }
}

/** The longest a window lasts (AWS: 1-1430 minutes). */
const MAX_WINDOW_MS = 1430 * MINUTE_MS;

/**
 * A window's opening at or before `at` (only one that may still be open is looked for), and its first after it (each
 * undefined if none in reach).
 */
function startsAround(window: MaintenanceWindow, at: number): { last?: number; next?: number } {
  const [last] = openings(window, 'prev', at + 1, 1, at - MAX_WINDOW_MS);
  const [next] = openings(window, 'next', at, 1);
  return { ...(last !== undefined ? { last } : {}), ...(next !== undefined ? { next } : {}) };
}

export type ScheduleGate =
  /** Not yet: come back at `until` (service time). */
  | { kind: 'wait'; until: number }
  /** Releases may go on now (inside a window, if there are windows). */
  | { kind: 'open' }
  /** The endTime has passed: do its end behaviour. */
  | { kind: 'ended'; behavior: EndBehavior };

/** Where the job's schedule stands at `now`. */
export function scheduleGateAt(config: SchedulingConfig | undefined, now: number): ScheduleGate {
  if (!config) return { kind: 'open' };
  const start = timeOf(config.startTime);
  const end = timeOf(config.endTime);
  if (end !== undefined && now >= end) return { kind: 'ended', behavior: config.endBehavior ?? 'STOP_ROLLOUT' };
  if (start !== undefined && now < start) return { kind: 'wait', until: start };
  const windows = config.maintenanceWindows ?? [];
  if (!windows.length) return { kind: 'open' };
  let nextStart: number | undefined;
  for (const window of windows) {
    const { last, next } = startsAround(window, now);
    if (last !== undefined && now < last + window.durationInMinutes * MINUTE_MS) return { kind: 'open' };
    if (next !== undefined) nextStart = Math.min(nextStart ?? next, next);
  }
  const until = Math.min(nextStart ?? Number.MAX_SAFE_INTEGER, end ?? Number.MAX_SAFE_INTEGER);
  return { kind: 'wait', until };
}

/** When the job must next be looked at for its end behaviour, if it has one that acts on a running job. */
export function endActionAt(config: SchedulingConfig | undefined): number | undefined {
  if (!config?.endTime || (config.endBehavior ?? 'STOP_ROLLOUT') === 'STOP_ROLLOUT') return undefined;
  return timeOf(config.endTime);
}

/** The start of the job's rollout, if it is scheduled for later. */
export const startOf = (config: SchedulingConfig | undefined): number | undefined => timeOf(config?.startTime);

/** The next `count` maintenance window openings after `now` (DescribeJob's scheduledJobRollouts). */
export function nextWindowStarts(config: SchedulingConfig | undefined, now: number, count: number): number[] {
  const starts = (config?.maintenanceWindows ?? []).flatMap((window) => openings(window, 'next', now, count));
  return [...new Set(starts)].sort((a, b) => a - b).slice(0, count);
}

/** AWS's rules for a new schedule, as of `now`; the request has checked the forms already. */
export function checkSchedule(config: SchedulingConfig, now: number): void {
  const start = timeOf(config.startTime);
  const end = timeOf(config.endTime);
  const b = SCHEDULE_BOUNDS;
  if (start !== undefined && start < now + b.minAheadMs)
    throw new InvalidRequestException('schedulingConfig.startTime: must be at least 30 minutes from now');
  if (start !== undefined && start > now + b.startWithinMs)
    throw new InvalidRequestException('schedulingConfig.startTime: must be within a year from now');
  if (end !== undefined && end < now + b.minAheadMs)
    throw new InvalidRequestException('schedulingConfig.endTime: must be at least 30 minutes from now');
  if (end !== undefined && end > now + b.endWithinMs)
    throw new InvalidRequestException('schedulingConfig.endTime: must be within two years from now');
  if (start !== undefined && end !== undefined && end - start < b.minSpanMs)
    throw new InvalidRequestException('schedulingConfig.endTime: must be at least 30 minutes after startTime');
  if (start !== undefined && end !== undefined && end - start > b.endWithinMs)
    throw new InvalidRequestException('schedulingConfig.endTime: must be within two years of startTime');
  checkWindowsOpen(config.maintenanceWindows, start ?? now, 'schedulingConfig.maintenanceWindows');
}

/** What a job's work does about its schedule now. */
export type ScheduleAction =
  | { kind: 'go' }
  /** Let go of the work until then (service time). */
  | { kind: 'park'; until: number }
  /** The start has come: SCHEDULED -> IN_PROGRESS, then go on. */
  | { kind: 'start' }
  /** STOP_ROLLOUT at the end: the fan-out ends where it stands. */
  | { kind: 'stop' }
  /** CANCEL or FORCE_CANCEL at the end. */
  | { kind: 'cancel'; force: boolean };

/**
 * The schedule's part in a work run, from the job and whether its fan-out is
 * done: a running job with an end that cancels keeps its work listed until
 * then, even once everything is released.
 */
export function scheduleAction(
  config: SchedulingConfig | undefined,
  status: string,
  fanOutDone: boolean,
  now: number,
): ScheduleAction {
  if (!config || (status !== 'IN_PROGRESS' && status !== 'SCHEDULED')) return { kind: 'go' };
  const gate = scheduleGateAt(config, now);
  if (gate.kind === 'ended') {
    if (gate.behavior !== 'STOP_ROLLOUT') return { kind: 'cancel', force: gate.behavior === 'FORCE_CANCEL' };
    return fanOutDone ? { kind: 'go' } : { kind: 'stop' };
  }
  if (fanOutDone) {
    const endAt = endActionAt(config);
    return endAt !== undefined ? { kind: 'park', until: endAt } : { kind: 'go' };
  }
  // The job is IN_PROGRESS from its startTime, inside a window or not; it releases only inside one.
  const start = startOf(config);
  if (status === 'SCHEDULED')
    return start !== undefined && now < start ? { kind: 'park', until: start } : { kind: 'start' };
  return gate.kind === 'wait' ? { kind: 'park', until: gate.until } : { kind: 'go' };
}
