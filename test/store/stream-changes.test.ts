import { describe, expect, it } from 'vitest';
import { readStreamBatch } from '../../lambdas/store/stream-changes';

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
      { eventID: 'e1', dynamodb: { OldImage: execution('QUEUED'), NewImage: execution('IN_PROGRESS', { statusDetails: {}, odd: { M: {} } }) } },
    ]);
    expect(changes).toEqual([{ changeId: 'e1', jobId: 'j1', jobIncarnation: 'i1', from: 'QUEUED', to: 'IN_PROGRESS' }]);
  });

  it('takes a registered thing, in the same partition as its executions, for no execution', () => {
    const thing = { pk: { S: 'THING#t1' }, sk: { S: 'THING' }, thingName: { S: 't1' }, attributes: { M: { a: { S: '1' } } } };
    expect(readStreamBatch([{ eventID: 'e2', dynamodb: { NewImage: thing } }])).toEqual({ changes: [], fanOutsFinished: [] });
  });
});
