import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/** The AWS CLI as a device author would use it against `npm start`: the README's commands, in order. */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture();
});

afterAll(() => f?.stop());

describe('AWS CLI', () => {
  it('runs the README walkthrough: create-job, start-next, update with --expected-version 2', async () => {
    const mgmt = f.service.managementEndpoint;
    const device = f.service.deviceEndpoint;
    const created = await aws(
      'iot',
      'create-job',
      '--endpoint-url',
      mgmt,
      '--job-id',
      'j1',
      '--targets',
      'arn:aws:iot:us-east-1:123456789012:thing/t1',
      '--document',
      '{"op":"reboot"}',
    );
    expect(created).toMatchObject({
      code: 0,
      json: { jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j1', jobId: 'j1' },
    });

    const started = await aws(
      'iot-jobs-data',
      'start-next-pending-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      't1',
    );
    expect(started.code).toBe(0);
    expect(started.json.execution).toMatchObject({
      jobId: 'j1',
      status: 'IN_PROGRESS',
      versionNumber: 2,
      jobDocument: '{"op":"reboot"}',
    });

    const updated = await aws(
      'iot-jobs-data',
      'update-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      't1',
      '--job-id',
      'j1',
      '--status',
      'SUCCEEDED',
      '--expected-version',
      '2',
      '--include-job-execution-state',
    );
    expect(updated).toMatchObject({ code: 0, json: { executionState: { status: 'SUCCEEDED', versionNumber: 3 } } });

    const next = await aws(
      'iot-jobs-data',
      'describe-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      't1',
      '--job-id',
      '$next',
    );
    expect(next).toMatchObject({ code: 0 });
    expect(next.json ?? {}).toEqual({});
  });

  it('shows the service error type and message, with a failing exit code', async () => {
    await aws(
      'iot',
      'create-job',
      '--endpoint-url',
      f.service.managementEndpoint,
      '--job-id',
      'j2',
      '--targets',
      'arn:aws:iot:us-east-1:123456789012:thing/t2',
      '--document',
      '{}',
    );
    const stale = await aws(
      'iot-jobs-data',
      'update-job-execution',
      '--endpoint-url',
      f.service.deviceEndpoint,
      '--thing-name',
      't2',
      '--job-id',
      'j2',
      '--status',
      'FAILED',
      '--expected-version',
      '9',
    );
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('(InvalidStateTransitionException)');
    expect(stale.stderr).toContain('VersionMismatch');

    const duplicate = await aws(
      'iot',
      'create-job',
      '--endpoint-url',
      f.service.managementEndpoint,
      '--job-id',
      'j2',
      '--targets',
      'arn:aws:iot:us-east-1:123456789012:thing/t2',
      '--document',
      '{}',
    );
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('(ResourceAlreadyExistsException)');
  });

  it('lists pending jobs with integer epoch seconds', async () => {
    await aws(
      'iot',
      'create-job',
      '--endpoint-url',
      f.service.managementEndpoint,
      '--job-id',
      'j3',
      '--targets',
      'arn:aws:iot:us-east-1:123456789012:thing/t3',
      '--document',
      '{}',
    );
    const pending = await aws(
      'iot-jobs-data',
      'get-pending-job-executions',
      '--endpoint-url',
      f.service.deviceEndpoint,
      '--thing-name',
      't3',
    );
    expect(pending.json.queuedJobs).toHaveLength(1);
    expect(Number.isInteger(pending.json.queuedJobs[0].queuedAt)).toBe(true);
  });
});
