import { describe, expect, it } from 'vitest';
import { readRetries, readStreamBatch } from '../../lambdas/store/stream-changes';

const execution = (status: string, extra: Record<string, unknown> = {}) => ({
  pk: { S: 'THING#t1' },
  sk: { S: 'JOB#j1' },
  jobId: { S: 'j1' },
  jobIncarnation: { S: 'i1' },
  status: { S: status },
  ...extra,
});

describe('readStreamBatch', () => {
  it('reads a change whatever else the item holds: an attribute the SDK hands over as an empty value does not fail the batch', () => {
    const { changes } = readStreamBatch([
      {
        eventID: 'e1',
        dynamodb: {
          OldImage: execution('QUEUED'),
          NewImage: execution('IN_PROGRESS', { statusDetails: {}, odd: { M: {} } }),
        },
      },
    ]);
    expect(changes).toEqual([{ changeId: 'e1', jobId: 'j1', jobIncarnation: 'i1', from: 'QUEUED', to: 'IN_PROGRESS' }]);
  });

  it('takes a registered thing, in the same partition as its executions, for no execution', () => {
    const thing = {
      pk: { S: 'THING#t1' },
      sk: { S: 'THING' },
      thingName: { S: 't1' },
      attributes: { M: { a: { S: '1' } } },
    };
    expect(readStreamBatch([{ eventID: 'e2', dynamodb: { NewImage: thing } }])).toEqual({
      changes: [],
      fanOutsFinished: [],
    });
  });
});

describe('failures with retries left', () => {
  const limits = {
    retryLimits: { M: { FAILED: { N: '1' } } },
    retryAttempt: { N: '0' },
    executionNumber: { N: '1' },
    thingName: { S: 't1' },
    queuedAt: { N: '1' },
    lastUpdatedAt: { N: '2' },
    versionNumber: { N: '3' },
  };
  const used = {
    ...limits,
    retriesUsed: { M: { FAILED: { N: '1' } } },
    retryAttempt: { N: '1' },
    executionNumber: { N: '2' },
  };

  it('are counted as retrying, and read as the retries to write, only by the write that made them fail', () => {
    const failing = {
      eventID: 'e1',
      dynamodb: { OldImage: execution('IN_PROGRESS', limits), NewImage: execution('FAILED', limits) },
    };
    expect(readStreamBatch([failing]).changes).toEqual([
      { changeId: 'e1', jobId: 'j1', jobIncarnation: 'i1', from: 'IN_PROGRESS', to: 'FAILED', toRetrying: true },
    ]);
    expect(readRetries([failing])).toEqual([
      expect.objectContaining({
        thingName: 't1',
        jobId: 'j1',
        status: 'FAILED',
        executionNumber: 1,
        retryLimits: { FAILED: 1 },
      }),
    ]);
    // The retry's own write: the failure left, still marked retrying, for the next attempt.
    const requeued = {
      eventID: 'e2',
      dynamodb: { OldImage: execution('FAILED', limits), NewImage: execution('QUEUED', used) },
    };
    expect(readStreamBatch([requeued]).changes).toEqual([
      { changeId: 'e2', jobId: 'j1', jobIncarnation: 'i1', from: 'FAILED', fromRetrying: true, to: 'QUEUED' },
    ]);
    expect(readRetries([requeued])).toEqual([]);
  });

  it('are not, once the retries are used up', () => {
    const final = {
      eventID: 'e3',
      dynamodb: { OldImage: execution('IN_PROGRESS', used), NewImage: execution('FAILED', used) },
    };
    expect(readStreamBatch([final]).changes).toEqual([
      { changeId: 'e3', jobId: 'j1', jobIncarnation: 'i1', from: 'IN_PROGRESS', to: 'FAILED' },
    ]);
    expect(readRetries([final])).toEqual([]);
  });
});
