import { describe, expect, it } from 'vitest';
import {
  checkSchedule,
  nextWindowStarts,
  parseAwsCron,
  parseJobTime,
  type SchedulingConfig,
  scheduleAction,
  scheduleGateAt,
} from '../../lambdas/jobs/rollout/schedule';

const at = (iso: string) => Date.parse(iso);

describe('parseJobTime', () => {
  it.each([
    ['2026-12-24T10:00', '2026-12-24T10:00:00.000Z'],
    ['2026-12-24 10:00', '2026-12-24T10:00:00.000Z'],
    ['2026-12-24T10:00:30Z', '2026-12-24T10:00:30.000Z'],
    ['2026-12-24T10:00+0100', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24T10:00-02:30', '2026-12-24T12:30:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseJobTime(text)!).toISOString()).toBe(iso);
  });

  it.each(['2026-12-24', '10:00', 'tomorrow', '2026-13-01T10:00', '2026-12-24T25:00', '1700000000'])(
    'refuses %s',
    (text) => {
      expect(parseJobTime(text)).toBeUndefined();
    },
  );
});

describe('parseAwsCron', () => {
  it.each([
    ['cron(0 2 ? * SUN *)', '0 2 ? * SUN'],
    // AWS counts the days of the week 1-7 from Sunday; the usual cron 0-6.
    ['cron(30 1 ? * 2-6 *)', '30 1 ? * 1-5'],
    ['cron(0 0 ? * 1,7 *)', '0 0 ? * 0,6'],
    ['cron(0 12 ? * 6#3 *)', '0 12 ? * 5#3'],
    ['cron(0/15 * 1 * ? *)', '0/15 * 1 * ?'],
  ])('reads %s as %s', (text, expression) => {
    expect(parseAwsCron(text).expression).toBe(expression);
  });

  it.each([
    ['0 2 * * *', 'must be cron('],
    ['cron(0 2 * *)', 'must be cron('],
    ['cron(61 2 ? * SUN *)', 'Constraint'],
    ['cron(0 2 ? * 0 *)', 'day-of-week must be 1-7'],
    ['cron(0 2 ? * 8 *)', 'day-of-week must be 1-7'],
    ['cron(0 2 ? * SUN 26)', 'year'],
  ])('refuses %s', (text, message) => {
    expect(() => parseAwsCron(text)).toThrow(message);
  });

  it('keeps to the years its year field names', () => {
    const config: SchedulingConfig = {
      maintenanceWindows: [{ startTime: 'cron(0 0 1 1 ? 2028)', durationInMinutes: 60 }],
    };
    expect(nextWindowStarts(config, at('2026-12-02T00:00Z'), 3).map((ms) => new Date(ms).toISOString())).toEqual([
      '2028-01-01T00:00:00.000Z',
    ]);
  });
});

describe('scheduleGateAt', () => {
  const start = '2026-12-10T08:00';
  const end = '2026-12-10T20:00';
  // Every day 09:00-10:00 and 18:00-18:30 UTC.
  const windows = [
    { startTime: 'cron(0 9 * * ? *)', durationInMinutes: 60 },
    { startTime: 'cron(0 18 * * ? *)', durationInMinutes: 30 },
  ];
  it.each<[string, SchedulingConfig | undefined, string, ReturnType<typeof scheduleGateAt>]>([
    ['no schedule', undefined, '2026-12-10T07:00Z', { kind: 'open' }],
    ['before its start', { startTime: start }, '2026-12-10T07:59Z', { kind: 'wait', until: at('2026-12-10T08:00Z') }],
    ['at its start', { startTime: start }, '2026-12-10T08:00Z', { kind: 'open' }],
    [
      'after its start, outside the windows',
      { startTime: start, maintenanceWindows: windows },
      '2026-12-10T08:30Z',
      { kind: 'wait', until: at('2026-12-10T09:00Z') },
    ],
    ['inside a window', { startTime: start, maintenanceWindows: windows }, '2026-12-10T09:59Z', { kind: 'open' }],
    [
      'as a window closes',
      { startTime: start, maintenanceWindows: windows },
      '2026-12-10T10:00Z',
      { kind: 'wait', until: at('2026-12-10T18:00Z') },
    ],
    [
      'between windows, the end before the next',
      { endTime: '2026-12-10T17:00', maintenanceWindows: windows },
      '2026-12-10T12:00Z',
      { kind: 'wait', until: at('2026-12-10T17:00Z') },
    ],
    [
      'at its end, without a behaviour',
      { startTime: start, endTime: end },
      '2026-12-10T20:00Z',
      { kind: 'ended', behavior: 'STOP_ROLLOUT' },
    ],
    [
      'past its end',
      { endTime: end, endBehavior: 'FORCE_CANCEL' },
      '2026-12-11T00:00Z',
      { kind: 'ended', behavior: 'FORCE_CANCEL' },
    ],
  ])('%s', (_, config, now, gate) => {
    expect(scheduleGateAt(config, at(now))).toEqual(gate);
  });
});

describe('scheduleAction', () => {
  const config: SchedulingConfig = {
    startTime: '2026-12-10T08:00',
    endTime: '2026-12-10T20:00',
    endBehavior: 'CANCEL',
  };
  it.each<[string, SchedulingConfig | undefined, string, boolean, string, ReturnType<typeof scheduleAction>]>([
    ['no schedule', undefined, 'IN_PROGRESS', false, '2026-12-10T07:00Z', { kind: 'go' }],
    [
      'SCHEDULED, before its start',
      config,
      'SCHEDULED',
      false,
      '2026-12-10T07:00Z',
      { kind: 'park', until: at('2026-12-10T08:00Z') },
    ],
    ['SCHEDULED, at its start', config, 'SCHEDULED', false, '2026-12-10T08:00Z', { kind: 'start' }],
    [
      'SCHEDULED, at its start, outside its windows: it starts (and then waits)',
      { ...config, maintenanceWindows: [{ startTime: 'cron(0 12 * * ? *)', durationInMinutes: 30 }] },
      'SCHEDULED',
      false,
      '2026-12-10T08:00Z',
      { kind: 'start' },
    ],
    [
      'running, outside its windows',
      { ...config, maintenanceWindows: [{ startTime: 'cron(0 12 * * ? *)', durationInMinutes: 30 }] },
      'IN_PROGRESS',
      false,
      '2026-12-10T09:00Z',
      { kind: 'park', until: at('2026-12-10T12:00Z') },
    ],
    ['running', config, 'IN_PROGRESS', false, '2026-12-10T09:00Z', { kind: 'go' }],
    [
      'all released, an end that cancels still to come',
      config,
      'IN_PROGRESS',
      true,
      '2026-12-10T09:00Z',
      { kind: 'park', until: at('2026-12-10T20:00Z') },
    ],
    ['at an end that cancels', config, 'IN_PROGRESS', true, '2026-12-10T20:00Z', { kind: 'cancel', force: false }],
    [
      'at an end that force-cancels',
      { ...config, endBehavior: 'FORCE_CANCEL' },
      'IN_PROGRESS',
      false,
      '2026-12-10T20:00Z',
      { kind: 'cancel', force: true },
    ],
    [
      'at an end that stops the rollout',
      { ...config, endBehavior: 'STOP_ROLLOUT' },
      'IN_PROGRESS',
      false,
      '2026-12-10T20:00Z',
      { kind: 'stop' },
    ],
    [
      'stopped, everything it had released done',
      { ...config, endBehavior: 'STOP_ROLLOUT' },
      'IN_PROGRESS',
      true,
      '2026-12-10T21:00Z',
      { kind: 'go' },
    ],
    ['canceled already', config, 'CANCELED', false, '2026-12-10T20:00Z', { kind: 'go' }],
  ])('%s', (_, schedule, status, fanOutDone, now, action) => {
    expect(scheduleAction(schedule, status, fanOutDone, at(now))).toEqual(action);
  });
});

describe('checkSchedule', () => {
  const now = at('2026-12-02T00:00Z');
  it.each([
    [{ startTime: '2026-12-02T00:29' }, 'schedulingConfig.startTime: must be at least 30 minutes from now'],
    [{ startTime: '2028-01-01T00:00' }, 'schedulingConfig.startTime: must be within a year from now'],
    [{ endTime: '2026-12-02T00:10' }, 'schedulingConfig.endTime: must be at least 30 minutes from now'],
    [{ endTime: '2029-01-01T00:00' }, 'schedulingConfig.endTime: must be within two years from now'],
    [
      { startTime: '2026-12-03T00:00', endTime: '2026-12-03T00:29' },
      'schedulingConfig.endTime: must be at least 30 minutes after startTime',
    ],
  ])('refuses %j', (config, message) => {
    expect(() => checkSchedule(config, now)).toThrow(message);
  });

  it('takes the limits', () => {
    expect(() => checkSchedule({ startTime: '2026-12-02T00:30', endTime: '2026-12-02T01:00' }, now)).not.toThrow();
    expect(() => checkSchedule({ startTime: '2027-12-01T00:00' }, now)).not.toThrow();
  });
});

describe('nextWindowStarts', () => {
  it('lists the next openings of every window, in order, once each', () => {
    const config: SchedulingConfig = {
      maintenanceWindows: [
        { startTime: 'cron(0 9 * * ? *)', durationInMinutes: 60 },
        { startTime: 'cron(0 18 ? * MON-FRI *)', durationInMinutes: 30 },
      ],
    };
    // 2026-12-04 is a Friday.
    expect(nextWindowStarts(config, at('2026-12-04T10:00Z'), 4).map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-12-04T18:00:00.000Z',
      '2026-12-05T09:00:00.000Z',
      '2026-12-06T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
    ]);
  });
});
