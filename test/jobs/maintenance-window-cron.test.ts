import { describe, expect, it } from 'vitest';
import {
  checkSchedule,
  checkWindowsOpen,
  nextWindowStarts,
  type SchedulingConfig,
  scheduleGateAt,
} from '../../lambdas/jobs/rollout/schedule';

/** A maintenance window's cron: when it opens, and whether it opens at all within the horizon (8 years). */
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const windows = (...crons: string[]) => crons.map((startTime) => ({ startTime, durationInMinutes: 30 }));
const NOW = at('2026-12-02T00:00Z');

describe('a window that never opens', () => {
  it.each([
    ['a year gone', 'cron(0 0 1 1 ? 2025)'],
    ['February 29th of common years', 'cron(0 0 29 2 ? 2027,2029-2031)'],
    ['only further off than 8 years', 'cron(0 0 1 1 ? 2035-2040)'],
    ['the 5th Friday of February, next in 2036', 'cron(0 0 ? 2 6#5 *)'],
  ])('is refused: %s (%s), naming its field and expression', (_, cron) => {
    const check = () =>
      checkWindowsOpen(windows('cron(0 9 * * ? *)', cron), NOW, 'schedulingConfig.maintenanceWindows');
    expect(check).toThrow(`schedulingConfig.maintenanceWindows[1].startTime: ${cron} opens no window within 8 years`);
    expect(() => checkSchedule({ maintenanceWindows: windows(cron) }, NOW)).toThrow(cron);
  });

  it.each([
    ['every day', 'cron(0 9 * * ? *)'],
    ['a leap day', 'cron(0 0 29 2 ? *)'],
    ['a year 8 years off', 'cron(0 0 1 1 ? 2034)'],
    ['every minute of a year to come', 'cron(* * * * ? 2030)'],
  ])('opens within 8 years: %s (%s)', (_, cron) => {
    expect(() => checkWindowsOpen(windows(cron), NOW, 'maintenanceWindows')).not.toThrow();
  });

  it("counts from the job's start, and takes a leap day even across 2100 (no leap year)", () => {
    const startTime = '2027-12-01T00:00';
    expect(() => checkSchedule({ startTime, maintenanceWindows: windows('cron(0 0 1 1 ? 2035)') }, NOW)).not.toThrow();
    expect(() => checkWindowsOpen(windows('cron(0 0 29 2 ? *)'), at('2097-03-01T00:00Z'), 'w')).not.toThrow();
  });
});

describe('the openings of a window with a year field', () => {
  const config: SchedulingConfig = { maintenanceWindows: windows('cron(* * * * ? 2028)') };

  it('are found however many occurrences the years it leaves out hold', () => {
    expect(nextWindowStarts(config, NOW, 3).map(iso)).toEqual([
      '2028-01-01T00:00:00.000Z',
      '2028-01-01T00:01:00.000Z',
      '2028-01-01T00:02:00.000Z',
    ]);
    expect(scheduleGateAt(config, NOW)).toEqual({ kind: 'wait', until: at('2028-01-01T00:00Z') });
    expect(scheduleGateAt(config, at('2028-06-01T12:00Z'))).toEqual({ kind: 'open' });
    expect(scheduleGateAt(config, at('2029-01-01T00:30Z'))).toEqual({ kind: 'wait', until: Number.MAX_SAFE_INTEGER });
  });
});
