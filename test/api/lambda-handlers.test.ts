import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  functionIdOf,
  type HttpMethod,
  handlerModulePath,
  JOB_WORKER,
  ROUTES,
  TIMEOUT_SWEEPER,
} from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import type { SweepReport } from '../../lambdas/jobs/execution/timeout-sweep';
import { gatewayEvent } from '../support/gateway-event';
import { executionRecord, seedExecutions } from '../support/seed';
import { createTestTable, type TestTable } from '../support/test-table';

/**
 * The handlers as Lambda runs them: configured only by the environment the
 * stack sets, invoked with API Gateway payload 2.0 events, on DynamoDB Local.
 */
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
const handlers: Record<string, Handler> = {};
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  process.env[ENVIRONMENT.tableName] = table.tableName;
  process.env[ENVIRONMENT.dynamoEndpoint] = table.endpoint;
  process.env[ENVIRONMENT.accountId] = '111122223333';
  process.env.AWS_REGION = 'eu-west-1';
  // Its jobs target things it never registers (the stack's implicitThings=true); the registry's rule is the wire
  // tests'.
  process.env[ENVIRONMENT.implicitThings] = 'true';
  for (const route of ROUTES) {
    handlers[functionIdOf(route)] = (
      (await import(handlerModulePath(route.handlerFile))) as { handler: Handler }
    ).handler;
  }
});

let requests = 0;
function event(
  method: string,
  routePath: string,
  pathParameters: Record<string, string>,
  body?: unknown,
  query?: Record<string, string>,
): APIGatewayProxyEventV2 {
  return gatewayEvent({
    route: { method: method as HttpMethod, path: routePath },
    path: pathParameters,
    body,
    ...(query ? { query } : {}),
    requestId: `req-${++requests}`,
  });
}

const bodyOf = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body ?? '{}');

describe('Lambda handlers', () => {
  it('CreateJob names the job with the account and region of its environment', async () => {
    const response = await handlers.CreateJob!(
      event(
        'PUT',
        '/jobs/{jobId}',
        { jobId: 'lambda-job' },
        { targets: ['arn:aws:iot:eu-west-1:111122223333:thing/dev1'], document: '{"a":1}' },
      ),
    );
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      jobArn: 'arn:aws:iot:eu-west-1:111122223333:job/lambda-job',
      jobId: 'lambda-job',
    });
    expect(response.headers).toMatchObject({ 'x-amzn-RequestId': `req-${requests}` });
  });

  it('serves the device operations in order: pending, start, describe, update', async () => {
    const pending = await handlers.GetPendingJobExecutions!(
      event('GET', '/things/{thingName}/jobs', { thingName: 'dev1' }),
    );
    expect(bodyOf(pending).queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual(['lambda-job']);

    const started = await handlers.StartNextPendingJobExecution!(
      event('PUT', '/things/{thingName}/jobs/{jobId}', { thingName: 'dev1', jobId: '$next' }, {}),
    );
    expect(bodyOf(started).execution).toMatchObject({
      jobId: 'lambda-job',
      status: 'IN_PROGRESS',
      versionNumber: 2,
      jobDocument: '{"a":1}',
    });

    const described = await handlers.DescribeJobExecution!(
      event('GET', '/things/{thingName}/jobs/{jobId}', { thingName: 'dev1', jobId: 'lambda-job' }, undefined, {
        includeJobDocument: 'false',
      }),
    );
    expect(bodyOf(described).execution).not.toHaveProperty('jobDocument');

    const updated = await handlers.UpdateJobExecution!(
      event(
        'POST',
        '/things/{thingName}/jobs/{jobId}',
        { thingName: 'dev1', jobId: 'lambda-job' },
        { status: 'SUCCEEDED', expectedVersion: 2 },
      ),
    );
    expect(updated.statusCode).toBe(200);
    expect(bodyOf(updated)).toEqual({});
  });

  it('answers errors with status, x-amzn-ErrorType and message', async () => {
    const response = await handlers.UpdateJobExecution!(
      event(
        'POST',
        '/things/{thingName}/jobs/{jobId}',
        { thingName: 'dev1', jobId: 'lambda-job' },
        { status: 'FAILED' },
      ),
    );
    expect(response.statusCode).toBe(409);
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'InvalidStateTransitionException' });
    expect(bodyOf(response).message).toContain('SUCCEEDED, a terminal status');
  });
});

describe('the timeout sweeper handler', () => {
  type SweeperHandler = (
    event: unknown,
    context: { getRemainingTimeInMillis(): number; awsRequestId?: string },
  ) => Promise<SweepReport>;
  const sweeper = async () =>
    ((await import(handlerModulePath(TIMEOUT_SWEEPER.handlerFile))) as { handler: SweeperHandler }).handler;
  const scheduledEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

  it('times out what expired by the real clock and reports it', async () => {
    const past = Date.now() - 1000;
    await seedExecutions(table, [
      executionRecord('sweep-dev', 'expired', { status: 'IN_PROGRESS', versionNumber: 2, stepDeadlineAt: past }),
      executionRecord('sweep-dev', 'running', {
        status: 'IN_PROGRESS',
        versionNumber: 2,
        stepDeadlineAt: Date.now() + 3_600_000,
      }),
    ]);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const report = await (await sweeper())(scheduledEvent, {
      getRemainingTimeInMillis: () => 60_000,
      awsRequestId: 'sweep-1',
    });
    expect(report).toMatchObject({ timedOut: 1, complete: true });
    const line = JSON.parse(info.mock.calls.at(-1)![0] as string);
    expect(line).toMatchObject({ message: 'timeout sweep', requestId: 'sweep-1', timedOut: 1 });
    // Its metrics, in the embedded metric format: executions timed out per sweep.
    expect(line).toMatchObject({ ExecutionsTimedOut: 1, SweepsIncomplete: 0 });
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'OpenIotJobs',
      Dimensions: [[]],
      Metrics: expect.arrayContaining([{ Name: 'ExecutionsTimedOut', Unit: 'Count' }]),
    });
    info.mockRestore();
    const described = await handlers.DescribeJobExecution!(
      event('GET', '/things/{thingName}/jobs/{jobId}', { thingName: 'sweep-dev', jobId: 'expired' }, undefined, {
        includeJobDocument: 'false',
      }),
    );
    expect(bodyOf(described).execution).toMatchObject({
      status: 'TIMED_OUT',
      versionNumber: 3,
      lastUpdatedAt: Math.floor(past / 1000),
    });
  });

  it('starts no page when Lambda is about to stop it, and says the sweep is incomplete', async () => {
    await seedExecutions(table, [
      executionRecord('sweep-dev-2', 'expired', {
        status: 'IN_PROGRESS',
        versionNumber: 2,
        stepDeadlineAt: Date.now() - 1000,
      }),
    ]);
    const report = await (await sweeper())(scheduledEvent, { getRemainingTimeInMillis: () => 5_000 });
    expect(report).toMatchObject({ timedOut: 0, indexItemsRead: 0, complete: false });
  });
});

describe('the job worker handler', () => {
  type WorkerHandler = (
    event: unknown,
    context: { getRemainingTimeInMillis(): number; awsRequestId?: string },
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  const worker = async () =>
    ((await import(handlerModulePath(JOB_WORKER.handlerFile))) as { handler: WorkerHandler }).handler;
  const sqsEvent = (...bodies: string[]) => ({ Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body })) });
  const context = { getRemainingTimeInMillis: () => 600_000, awsRequestId: 'work-1' };

  it('logs one line per message with its fan-out and cascade progress as metrics (here a job whose work is done: nothing)', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const response = await (await worker())(sqsEvent(JSON.stringify({ jobId: 'lambda-job' })), context);
    expect(response.batchItemFailures).toEqual([]);
    const line = JSON.parse(info.mock.calls.at(-1)![0] as string);
    info.mockRestore();
    expect(line).toMatchObject({
      level: 'info',
      message: 'job work',
      requestId: 'work-1',
      messageId: 'm-0',
      jobId: 'lambda-job',
      result: 'none',
    });
    expect(line).toMatchObject({ FanOutTargets: 0, CascadeTargets: 0, JobWorkFailures: 0 });
    expect(line.JobWorkDuration).toBeGreaterThanOrEqual(0);
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'OpenIotJobs', Dimensions: [[]] });
    expect(line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual([
      'CascadeTargets',
      'FanOutTargets',
      'JobWorkDuration',
      'JobWorkFailures',
    ]);
  });

  it('reports a message it cannot run as a batch item failure (SQS delivers it again), and counts the failure', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await (await worker())(sqsEvent('not json'), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    const line = JSON.parse(error.mock.calls.at(-1)![0] as string);
    error.mockRestore();
    expect(line).toMatchObject({
      level: 'error',
      message: 'job work failed',
      messageId: 'm-0',
      JobWorkFailures: 1,
      FanOutTargets: 0,
    });
    expect(line.error).toContain('JSON');
  });
});
