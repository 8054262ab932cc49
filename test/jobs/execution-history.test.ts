import { describe, expect, it } from 'vitest';
import { type ExecutionImage, historyEntryOf, toHistoryView } from '../../lambdas/jobs/history/execution-history';

/**
 * The history's rules, case by case: which entry each change of an execution makes (images as the stream carries them).
 */
const T = 1_700_000_000_000;
const image = (over: Partial<ExecutionImage> = {}): ExecutionImage => ({
  thingName: 't1',
  jobId: 'j1',
  jobIncarnation: 'i1',
  status: 'QUEUED',
  executionNumber: 1,
  versionNumber: 1,
  lastUpdatedAt: T,
  ...over,
});
const device = { kind: 'device', name: 't1', requestId: 'r1' } as const;
const running = image({
  status: 'IN_PROGRESS',
  versionNumber: 2,
  stepDeadlineAt: T + 60_000,
  inProgressDeadlineAt: T + 600_000,
  changedBy: device,
});

describe('historyEntryOf', () => {
  it.each([
    ['a fan-out creates it', undefined, image({ changedBy: { kind: 'operator' } }), 'CREATED', { kind: 'operator' }],
    ['a rollout releases it', undefined, image({ changedBy: { kind: 'rollout' } }), 'RELEASED', { kind: 'rollout' }],
    [
      "a thing joins a continuous job's group",
      undefined,
      image({ changedBy: { kind: 'group' } }),
      'CREATED',
      { kind: 'group' },
    ],
    ['the device starts it', image(), running, 'STARTED', device],
    [
      'the device reports progress',
      running,
      { ...running, versionNumber: 3, statusDetails: { step: 'x' } },
      'PROGRESS',
      device,
    ],
    ['the device succeeds', running, { ...running, status: 'SUCCEEDED', versionNumber: 3 }, 'SUCCEEDED', device],
    ['the device fails', running, { ...running, status: 'FAILED', versionNumber: 3 }, 'FAILED', device],
    [
      'the device rejects it',
      image(),
      image({ status: 'REJECTED', versionNumber: 2, changedBy: device }),
      'REJECTED',
      device,
    ],
    [
      'the step timer runs out',
      running,
      image({ status: 'TIMED_OUT', versionNumber: 3, lastUpdatedAt: T + 60_000, changedBy: { kind: 'timer' } }),
      'TIMED_OUT',
      { kind: 'timer', timer: 'step' },
    ],
    [
      'the in-progress timer runs out',
      running,
      image({ status: 'TIMED_OUT', versionNumber: 3, lastUpdatedAt: T + 600_000, changedBy: { kind: 'timer' } }),
      'TIMED_OUT',
      { kind: 'timer', timer: 'in-progress' },
    ],
    [
      'an operator cancels with force',
      running,
      image({ status: 'CANCELED', versionNumber: 3, changedBy: { kind: 'operator', force: true, requestId: 'r9' } }),
      'CANCELED',
      { kind: 'operator', force: true, requestId: 'r9' },
    ],
    [
      'an abort cancels',
      image(),
      image({ status: 'CANCELED', versionNumber: 2, changedBy: { kind: 'abort' } }),
      'CANCELED',
      { kind: 'abort' },
    ],
    [
      'the thing leaves the group',
      image(),
      image({ status: 'REMOVED', versionNumber: 2, changedBy: { kind: 'group' } }),
      'REMOVED',
      { kind: 'group' },
    ],
    [
      'a retry follows a failure',
      { ...running, status: 'FAILED' as const },
      image({ executionNumber: 2, changedBy: { kind: 'retry' } }),
      'RETRIED',
      { kind: 'retry' },
    ],
    [
      'a thing comes back to a continuous job',
      image({ status: 'REMOVED', versionNumber: 2 }),
      image({ executionNumber: 2, changedBy: { kind: 'group' } }),
      'CREATED',
      { kind: 'group' },
    ],
    [
      'a new job of the same ID takes the item',
      running,
      image({ jobIncarnation: 'i2', changedBy: { kind: 'operator' } }),
      'CREATED',
      { kind: 'operator' },
    ],
    [
      'an item from before the history: a device status',
      image(),
      image({ status: 'SUCCEEDED', versionNumber: 2 }),
      'SUCCEEDED',
      { kind: 'device', name: 't1' },
    ],
    [
      'an item from before the history: a service status',
      running,
      image({ status: 'TIMED_OUT', versionNumber: 3, lastUpdatedAt: T + 60_000 }),
      'TIMED_OUT',
      { kind: 'service', timer: 'step' },
    ],
  ] as const)('%s', (_name, before, after, event, actor) => {
    const entry = historyEntryOf({ ...(before ? { before } : {}), after }, T + 999)!;
    expect(entry.event).toBe(event);
    expect(entry.actor).toEqual(actor);
    expect(entry.status).toBe(after.status);
    expect(entry.versionNumber).toBe(after.versionNumber);
    expect(entry.at).toBe(after.lastUpdatedAt);
  });

  it('names the status before when the same execution moved, and none for a new one', () => {
    expect(historyEntryOf({ before: image(), after: running }, T)!.previousStatus).toBe('QUEUED');
    expect(historyEntryOf({ after: image() }, T)!.previousStatus).toBeUndefined();
    expect(
      historyEntryOf({ before: running, after: image({ jobIncarnation: 'i2' }) }, T)!.previousStatus,
    ).toBeUndefined();
  });

  it('a deletion: its last state, the time it was read, by an operator', () => {
    expect(historyEntryOf({ before: running }, T + 5)).toEqual({
      thingName: 't1',
      jobId: 'j1',
      jobIncarnation: 'i1',
      executionNumber: 1,
      versionNumber: 2,
      event: 'DELETED',
      status: 'IN_PROGRESS',
      previousStatus: 'IN_PROGRESS',
      at: T + 5,
      actor: { kind: 'operator' },
    });
  });

  it('a write that changed no version (an index key filled in) is no entry', () => {
    expect(historyEntryOf({ before: running, after: { ...running } }, T)).toBeUndefined();
    expect(historyEntryOf({}, T)).toBeUndefined();
  });

  it('keeps statusDetails, leaves out an empty map, and answers in seconds with fractions', () => {
    expect(
      historyEntryOf({ before: running, after: { ...running, versionNumber: 3, statusDetails: {} } }, T)!.statusDetails,
    ).toBeUndefined();
    const view = toHistoryView(
      historyEntryOf(
        { before: image(), after: { ...running, lastUpdatedAt: T + 1_234, statusDetails: { a: 'b' } } },
        T,
      )!,
    );
    expect(view).toMatchObject({ at: (T + 1_234) / 1000, statusDetails: { a: 'b' }, event: 'STARTED' });
    expect(view).not.toHaveProperty('jobIncarnation');
  });
});
