import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../lambdas/jobs/history/execution-history';
import { countsPointPut, countsPointsQuery } from '../../lambdas/store/history/counts-points';
import { historyPuts, historyQuery } from '../../lambdas/store/history/entries';

/** The history's writes and reads, built offline. */
const T = 1_700_000_000_000;
const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  thingName: 't1',
  jobId: 'j1',
  jobIncarnation: 'i1',
  executionNumber: 1,
  versionNumber: 2,
  event: 'STARTED',
  status: 'IN_PROGRESS',
  at: T,
  actor: { kind: 'device', name: 't1' },
  ...over,
});

describe('history writes', () => {
  it("keys an entry by its thing's history partition and, in order, job, incarnation, execution, version and time", () => {
    const [put] = historyPuts([entry()], 30);
    expect(put!.PutRequest.Item).toMatchObject({
      pk: 'HISTORY#t1',
      sk: `j1#i1#0000000001#0000000002#00${T}`,
      event: 'STARTED',
    });
  });

  it('expires an entry its retention after it happened (the TTL attribute, in seconds)', () => {
    expect(historyPuts([entry()], 30)[0]!.PutRequest.Item.expiresAt).toBe(T / 1000 + 30 * 86_400);
  });

  it("sorts a deletion after its execution's last change, and keys it without the time it was read", () => {
    const [deleted] = historyPuts([entry({ event: 'DELETED', at: T + 5 })], 30);
    const [again] = historyPuts([entry({ event: 'DELETED', at: T + 9 })], 30);
    expect(deleted!.PutRequest.Item.sk).toBe('j1#i1#0000000001#0000000002#DELETED');
    expect(again!.PutRequest.Item.sk).toBe(deleted!.PutRequest.Item.sk);
    expect(String(deleted!.PutRequest.Item.sk) > String(historyPuts([entry()], 30)[0]!.PutRequest.Item.sk)).toBe(true);
  });

  it('writes a change met twice in one batch once (BatchWriteItem refuses a key twice)', () => {
    expect(historyPuts([entry(), entry(), entry({ versionNumber: 3 })], 30)).toHaveLength(2);
  });

  it("reads a thing's history, or one job's, consistently from its partition", () => {
    expect(historyQuery('t1', undefined)).toEqual({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'HISTORY#t1' },
      ConsistentRead: true,
    });
    expect(historyQuery('t1', 'j1')).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :job)',
      ExpressionAttributeValues: { ':job': 'j1#' },
    });
  });
});

describe("a job's counts over time, built offline", () => {
  const point = {
    jobId: 'j1',
    jobIncarnation: 'i1',
    at: T + 999,
    countsRevision: 7,
    counts: { QUEUED: 3, SUCCEEDED: 2 },
  };

  it('keys a point beside its job item, by incarnation and second (a later write in the same second lands on it)', () => {
    const put = countsPointPut(point, 30);
    expect(put.Item).toMatchObject({
      pk: 'JOB#j1',
      sk: `COUNTS#i1#00000${T / 1000}`,
      counts: { QUEUED: 3, SUCCEEDED: 2 },
      countsRevision: 7,
    });
    expect(countsPointPut({ ...point, at: T }, 30).Item!.sk).toBe(put.Item!.sk);
  });

  it('replaces a point only with a later revision, and expires it with the history', () => {
    const put = countsPointPut(point, 30);
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk) OR countsRevision < :revision');
    expect(put.ExpressionAttributeValues).toEqual({ ':revision': 7 });
    expect(put.Item!.expiresAt).toBe(Math.floor((T + 999) / 1000) + 30 * 86_400);
  });

  it("reads one incarnation's points, newest first, consistently", () => {
    expect(countsPointsQuery('j1', 'i1')).toEqual({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :points)',
      ExpressionAttributeValues: { ':pk': 'JOB#j1', ':points': 'COUNTS#i1#' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
  });
});
