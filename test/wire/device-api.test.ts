import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateJobCommand,
  InvalidRequestException as IotInvalidRequest,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  InvalidRequestException,
  InvalidStateTransitionException,
  ResourceNotFoundException,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** The device and management APIs as the official SDK v3 clients see them, over HTTP to the local runner. */
let f: WireFixture;
const sentPaths: string[] = [];

beforeAll(async () => {
  f = await startWireFixture();
  f.device.middlewareStack.add(
    (next) => async (args) => {
      sentPaths.push((args.request as { path: string }).path);
      return await next(args);
    },
    { step: 'finalizeRequest', name: 'recordPaths' },
  );
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'update-fw',
      targets: [thingArn('sensor-1'), thingArn('sensor-2')],
      document: '{"url":"s3://fw/1.2"}',
      description: 'firmware 1.2',
    }),
  );
});

afterAll(() => f?.stop());

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & Record<string, any>,
  );

describe('the order jobs are served in', () => {
  it('is the order they were created in, for jobs created within one second in reverse jobId order', async () => {
    // Two CreateJobs in a row take a few milliseconds: the same second, the same whole-second queuedAt for the device.
    await f.iot.send(
      new CreateJobCommand({ jobId: 'zz-step1', targets: [thingArn('ordered')], document: '{"step":1}' }),
    );
    await f.iot.send(
      new CreateJobCommand({ jobId: 'aa-step2', targets: [thingArn('ordered')], document: '{"step":2}' }),
    );
    const pending = await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'ordered' }));
    expect(pending.queuedJobs?.map((j) => j.jobId)).toEqual(['zz-step1', 'aa-step2']);
    const next = await f.device.send(new DescribeJobExecutionCommand({ thingName: 'ordered', jobId: '$next' }));
    expect(next.execution?.jobId).toBe('zz-step1');
    const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'ordered' }));
    expect(started.execution?.jobId).toBe('zz-step1');
    expect(Number.isInteger(started.execution?.queuedAt)).toBe(true);
  });
});

describe('CreateJob through @aws-sdk/client-iot', () => {
  it('answers the job ARN, ID and description', async () => {
    const out = await f.iot.send(
      new CreateJobCommand({ jobId: 'j-new', targets: [thingArn('x')], document: '{}', description: 'd' }),
    );
    expect(out).toMatchObject({
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j-new',
      jobId: 'j-new',
      description: 'd',
    });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('raises ResourceAlreadyExistsException (409) for a taken jobId', async () => {
    const error = await errorOf(
      f.iot.send(new CreateJobCommand({ jobId: 'update-fw', targets: [thingArn('x')], document: '{}' })),
    );
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(error?.$metadata.httpStatusCode).toBe(409);
    expect(error?.resourceId).toBe('update-fw');
  });

  it('raises InvalidRequestException naming the field', async () => {
    const error = await errorOf(
      f.iot.send(new CreateJobCommand({ jobId: 'bad', targets: ['not-an-arn'], document: '{}' })),
    );
    expect(error).toBeInstanceOf(IotInvalidRequest);
    expect(error?.message).toContain('targets[0]');
  });
});

describe('device API through @aws-sdk/client-iot-jobs-data-plane', () => {
  it('lists pending jobs with epoch-second timestamps', async () => {
    const out = await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'sensor-1' }));
    expect(out.inProgressJobs).toEqual([]);
    expect(out.queuedJobs).toHaveLength(1);
    const [queued] = out.queuedJobs!;
    expect(queued).toMatchObject({ jobId: 'update-fw', versionNumber: 1, executionNumber: 1 });
    expect(Number.isInteger(queued!.queuedAt)).toBe(true);
    expect(Math.abs(queued!.queuedAt! - Date.now() / 1000)).toBeLessThan(60);
  });

  it('sends $next percent-encoded and describes the next job without starting it', async () => {
    const out = await f.device.send(new DescribeJobExecutionCommand({ thingName: 'sensor-1', jobId: '$next' }));
    expect(sentPaths.at(-1)).toBe('/things/sensor-1/jobs/%24next');
    expect(out.execution).toMatchObject({
      jobId: 'update-fw',
      status: 'QUEUED',
      versionNumber: 1,
      jobDocument: '{"url":"s3://fw/1.2"}',
    });
  });

  it('starts the next job, then updates it with the version it was given', async () => {
    const started = await f.device.send(
      new StartNextPendingJobExecutionCommand({
        thingName: 'sensor-1',
        statusDetails: { step: 'download' },
        stepTimeoutInMinutes: 30,
      }),
    );
    expect(started.execution).toMatchObject({
      jobId: 'update-fw',
      thingName: 'sensor-1',
      status: 'IN_PROGRESS',
      statusDetails: { step: 'download' },
      versionNumber: 2,
      jobDocument: '{"url":"s3://fw/1.2"}',
    });
    expect(started.execution?.approximateSecondsBeforeTimedOut).toBeGreaterThan(1790);
    expect(Number.isInteger(started.execution?.startedAt)).toBe(true);

    const updated = await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: 'sensor-1',
        jobId: 'update-fw',
        status: 'SUCCEEDED',
        expectedVersion: 2,
        includeJobExecutionState: true,
        includeJobDocument: true,
      }),
    );
    expect(updated.executionState).toEqual({
      status: 'SUCCEEDED',
      statusDetails: { step: 'download' },
      versionNumber: 3,
    });
    expect(updated.jobDocument).toBe('{"url":"s3://fw/1.2"}');
  });

  it('answers {} from StartNext and $next when nothing is pending', async () => {
    expect(
      (await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'idle' }))).execution,
    ).toBeUndefined();
    expect(
      (await f.device.send(new DescribeJobExecutionCommand({ thingName: 'idle', jobId: '$next' }))).execution,
    ).toBeUndefined();
  });

  it('raises InvalidStateTransitionException (409) VersionMismatch carrying executionState', async () => {
    const error = await errorOf(
      f.device.send(
        new UpdateJobExecutionCommand({
          thingName: 'sensor-2',
          jobId: 'update-fw',
          status: 'IN_PROGRESS',
          expectedVersion: 5,
        }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidStateTransitionException);
    expect(error?.$metadata.httpStatusCode).toBe(409);
    expect(error?.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error?.message).toMatch(/^VersionMismatch/);
    expect(error?.executionState).toEqual({ status: 'QUEUED', versionNumber: 1 });
  });

  it('raises InvalidStateTransitionException for an update of a terminal execution', async () => {
    await f.device.send(
      new UpdateJobExecutionCommand({ thingName: 'sensor-2', jobId: 'update-fw', status: 'REJECTED' }),
    );
    const error = await errorOf(
      f.device.send(new UpdateJobExecutionCommand({ thingName: 'sensor-2', jobId: 'update-fw', status: 'SUCCEEDED' })),
    );
    expect(error).toBeInstanceOf(InvalidStateTransitionException);
    expect(error?.message).toContain('REJECTED, a terminal status');
  });

  it('raises ResourceNotFoundException (404) for an execution that does not exist', async () => {
    const error = await errorOf(
      f.device.send(new DescribeJobExecutionCommand({ thingName: 'sensor-1', jobId: 'no-such-job' })),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error?.$metadata.httpStatusCode).toBe(404);
  });

  it.each([
    ['a thing name with a space', () => new GetPendingJobExecutionsCommand({ thingName: 'bad name' }), 'thingName'],
    [
      'a status a device may not send',
      () => new UpdateJobExecutionCommand({ thingName: 't', jobId: 'j', status: 'CANCELED' }),
      'status',
    ],
    [
      'eleven statusDetails',
      () =>
        new StartNextPendingJobExecutionCommand({
          thingName: 't',
          statusDetails: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])),
        }),
      'statusDetails',
    ],
    [
      'a step timeout of 0',
      () => new StartNextPendingJobExecutionCommand({ thingName: 't', stepTimeoutInMinutes: 0 }),
      'stepTimeoutInMinutes',
    ],
  ])('raises InvalidRequestException (400) for %s', async (_name, command, field) => {
    const error = await errorOf(f.device.send(command() as never));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(error?.message).toContain(`${field}:`);
  });
});

describe('raw HTTP', () => {
  const call = (path: string, init?: RequestInit) => fetch(`${f.service.deviceEndpoint}${path}`, init);

  it('answers malformed JSON with 400, x-amzn-ErrorType and a message', async () => {
    const response = await call('/things/t1/jobs/j1', { method: 'POST', body: '{"status":' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await response.json()).toEqual({ message: 'request body: is not valid JSON' });
  });

  it('refuses a body over 64 KiB', async () => {
    const response = await call('/things/t1/jobs/j1', {
      method: 'POST',
      body: JSON.stringify({ status: 'SUCCEEDED', pad: 'x'.repeat(70_000) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('at most 65536 bytes');
  });

  it('takes a literal $next on PUT, and refuses PUT on any other job ID', async () => {
    expect((await call('/things/idle/jobs/$next', { method: 'PUT' })).status).toBe(200);
    const other = await call('/things/idle/jobs/j1', { method: 'PUT' });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { message: string }).message).toContain('jobId: PUT only starts $next');
  });

  it('answers a path no route takes with 404, as API Gateway does', async () => {
    const response = await call('/jobs/j1', { method: 'PUT', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('names an AWS device operation it does not implement, instead of a bare 404', async () => {
    const response = await call('/command-executions', { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^StartCommandExecution \(POST \/command-executions\) is not an operation this service implements/,
    );
  });

  it('hides internals behind a fixed 500 when the store fails unexpectedly', async () => {
    const admin = createDocumentClient({ endpoint: f.service.dynamoEndpoint });
    const broken = await startWireFixture();
    await admin.send(new DeleteTableCommand({ TableName: broken.service.tableName }));
    try {
      const response = await fetch(`${broken.service.deviceEndpoint}/things/t1/jobs`);
      expect(response.status).toBe(500);
      expect(response.headers.get('x-amzn-errortype')).toBe('InternalFailureException');
      const text = await response.text();
      expect(text).not.toMatch(/table|dynamo|ResourceNotFound|stack/i);
    } finally {
      admin.destroy();
      await broken.stop();
    }
  });
});

describe('CreateJob payload limits', () => {
  it('takes a maximal document of escaped characters, past the device API cap', async () => {
    const document = '"'.repeat(32768); // escapes to 64 KiB of JSON
    const out = await f.iot.send(new CreateJobCommand({ jobId: 'big-doc', targets: [thingArn('big')], document }));
    expect(out.jobId).toBe('big-doc');
    const described = await f.device.send(new DescribeJobExecutionCommand({ thingName: 'big', jobId: 'big-doc' }));
    expect(described.execution?.jobDocument).toBe(document);
  });
});

describe('gateway-level answers', () => {
  it('answers a malformed percent-escape in a path label with InvalidRequestException', async () => {
    const response = await fetch(`${f.service.deviceEndpoint}/things/%E0%A4%A/jobs`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
  });
});
