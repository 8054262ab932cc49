import { describe, expect, it } from 'vitest';
import { explainRejectedUpdate } from '../../lambdas/jobs/device/update-rejection';
import type { ExecutionStatus, JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import type { DeviceUpdateCommand } from '../../lambdas/jobs/execution/store';
import { InvalidStateTransitionException, ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';

const command = (over: Partial<DeviceUpdateCommand> = {}): DeviceUpdateCommand => ({
  thingName: 't1',
  jobId: 'j1',
  status: 'SUCCEEDED',
  timers: {},
  now: 0,
  actor: { kind: 'device', name: 't1' },
  ...over,
});
const stored = (status: ExecutionStatus, versionNumber = 3, executionNumber = 1): JobExecutionRecord => ({
  thingName: 't1',
  jobId: 'j1',
  jobIncarnation: 'i',
  status,
  statusDetails: { step: 'x' },
  queuedAt: 0,
  lastUpdatedAt: 0,
  versionNumber,
  executionNumber,
});

describe('explainRejectedUpdate', () => {
  it.each<
    [
      string,
      DeviceUpdateCommand,
      JobExecutionRecord | undefined,
      typeof ResourceNotFoundException | typeof InvalidStateTransitionException,
      string,
    ]
  >([
    ['no execution', command(), undefined, ResourceNotFoundException, 'No job execution of job j1 exists for thing t1'],
    [
      'another execution number',
      command({ executionNumber: 2 }),
      stored('IN_PROGRESS'),
      ResourceNotFoundException,
      'Job execution number 2',
    ],
    [
      'terminal SUCCEEDED',
      command(),
      stored('SUCCEEDED'),
      InvalidStateTransitionException,
      'is SUCCEEDED, a terminal status',
    ],
    [
      'terminal TIMED_OUT',
      command(),
      stored('TIMED_OUT'),
      InvalidStateTransitionException,
      'is TIMED_OUT, a terminal status',
    ],
    [
      'terminal CANCELED even at the right version',
      command({ expectedVersion: 3 }),
      stored('CANCELED'),
      InvalidStateTransitionException,
      'is CANCELED',
    ],
    [
      'stale expectedVersion',
      command({ expectedVersion: 2 }),
      stored('IN_PROGRESS'),
      InvalidStateTransitionException,
      'VersionMismatch: expectedVersion 2 does not match the current versionNumber 3',
    ],
    [
      'future expectedVersion on QUEUED',
      command({ expectedVersion: 9 }),
      stored('QUEUED'),
      InvalidStateTransitionException,
      'VersionMismatch',
    ],
  ])('%s', (_name, cmd, current, type, message) => {
    const error = explainRejectedUpdate(cmd, current);
    expect(error).toBeInstanceOf(type);
    expect(error?.message).toContain(message);
  });

  it.each<[string, DeviceUpdateCommand, JobExecutionRecord]>([
    ['pending at the expected version', command({ expectedVersion: 3 }), stored('IN_PROGRESS', 3)],
    ['pending, no version asked', command(), stored('QUEUED')],
    ['pending at the asked execution number', command({ executionNumber: 1 }), stored('IN_PROGRESS')],
  ])('leaves it to re-planning when nothing the device sent is wrong: %s', (_name, cmd, current) => {
    expect(explainRejectedUpdate(cmd, current)).toBeUndefined();
  });

  it.each<[string, DeviceUpdateCommand, JobExecutionRecord, boolean]>([
    [
      'the same final status again',
      command({ status: 'SUCCEEDED', expectedVersion: 2, statusDetails: { step: 'x' } }),
      stored('SUCCEEDED', 3),
      true,
    ],
    ['the same progress again', command({ status: 'IN_PROGRESS', expectedVersion: 2 }), stored('IN_PROGRESS', 3), true],
    [
      'other details',
      command({ status: 'IN_PROGRESS', expectedVersion: 2, statusDetails: { step: 'y' } }),
      stored('IN_PROGRESS', 3),
      false,
    ],
    ['another status', command({ status: 'FAILED', expectedVersion: 2 }), stored('SUCCEEDED', 3), false],
    ['two versions on', command({ status: 'IN_PROGRESS', expectedVersion: 1 }), stored('IN_PROGRESS', 3), false],
    ['no expectedVersion to tell', command({ status: 'SUCCEEDED' }), stored('SUCCEEDED', 3), false],
  ])('says when a refused update was already applied: %s', (_name, cmd, current, replay) => {
    expect(explainRejectedUpdate(cmd, current)!.message.includes('already applied')).toBe(replay);
  });

  it('hands the device the current state with a version mismatch', () => {
    const error = explainRejectedUpdate(command({ expectedVersion: 1 }), stored('IN_PROGRESS', 3))!;
    expect(error.message.startsWith('VersionMismatch')).toBe(true);
    expect(error.extraBody).toEqual({
      executionState: { status: 'IN_PROGRESS', statusDetails: { step: 'x' }, versionNumber: 3 },
    });
  });
});
