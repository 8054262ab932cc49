import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as describeExecution } from '../../lambdas/api/handlers/describe-job-execution';
import { humanRequestLine } from '../../lambdas/api/http/request-log';
import { ENVIRONMENT } from '../../lambdas/environment';
import { gatewayEvent } from '../support/gateway-event';

/** The request log of a deployed function: one JSON line per request, with its request ID and latency. */
describe('the request log (Lambda)', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    // As deployed: no LOG_LEVEL; a table that is never reached (the request is refused before any call).
    vi.stubEnv(ENVIRONMENT.logLevel, '');
    vi.stubEnv(ENVIRONMENT.tableName, 'never-reached');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const badRequest = () =>
    describeExecution(gatewayEvent({ path: { thingName: 't1', jobId: 'not a job id' }, requestId: 'req-42' }));

  it('writes one JSON line per request with its request ID, operation, status, thing, job and latency', async () => {
    const response = await badRequest();
    expect(response.statusCode).toBe(400);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 'info',
      operation: 'DescribeJobExecution',
      requestId: 'req-42',
      status: 400,
      thingName: 't1',
      jobId: 'not a job id',
    });
    expect(response.headers?.['x-amzn-RequestId']).toBe(line.requestId);
    expect(line.latencyMs).toEqual(expect.any(Number));
    expect(line.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(line.time)).not.toBeNaN();
  });

  it("is its request's metrics too (CloudWatch's embedded metric format): requests, errors and latency by operation", async () => {
    await badRequest();
    const line = JSON.parse(lines[0]!);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'OpenIotJobs',
        Dimensions: [['Operation']],
        Metrics: [
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'ClientErrors', Unit: 'Count' },
          { Name: 'ServerErrors', Unit: 'Count' },
          { Name: 'Latency', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(line._aws.Timestamp).toBe(Date.parse(line.time));
    expect(line).toMatchObject({
      Operation: 'DescribeJobExecution',
      Requests: 1,
      ClientErrors: 1,
      ServerErrors: 0,
      Latency: line.latencyMs,
    });
  });

  it('writes none when LOG_LEVEL asks for errors only', async () => {
    vi.stubEnv(ENVIRONMENT.logLevel, 'error');
    await badRequest();
    expect(lines).toEqual([]);
  });

  it('reads, locally, as one short line a person scans', () => {
    const line = {
      time: '2026-12-02T19:20:03.020Z',
      level: 'info',
      operation: 'GetPendingJobExecutions',
      requestId: 'r1',
      status: 200,
      latencyMs: 2.94,
      thingName: 't1',
    } as const;
    expect(humanRequestLine(line)).toBe('19:20:03.020 GetPendingJobExecutions t1 200 2.9 ms r1');
  });
});
