import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** The management operations as an operator runs them: `aws iot ... --endpoint-url`, the README's examples. */
let f: WireFixture;
const iot = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const device = (...args: string[]) => aws('iot-jobs-data', ...args, '--endpoint-url', f.service.deviceEndpoint);

beforeAll(async () => {
  f = await startWireFixture();
});

afterAll(() => f?.stop());

describe('management API with the AWS CLI', () => {
  it('creates, describes, lists (across pages) and reads the document of jobs', async () => {
    for (const jobId of ['cli-1', 'cli-2', 'cli-3']) {
      const created = await iot(
        'create-job',
        '--job-id',
        jobId,
        '--targets',
        thingArn('c1'),
        thingArn('c2'),
        '--document',
        '{"op":"x"}',
        '--timeout-config',
        'inProgressTimeoutInMinutes=10',
      );
      expect(created).toMatchObject({ code: 0, json: { jobId } });
    }
    await f.service.countsCaughtUp();
    const described = await iot('describe-job', '--job-id', 'cli-1');
    expect(described.json.job).toMatchObject({
      jobId: 'cli-1',
      status: 'IN_PROGRESS',
      jobProcessDetails: { numberOfQueuedThings: 2 },
    });

    // --page-size makes the CLI follow nextToken page by page.
    const listed = await iot('list-jobs', '--page-size', '1');
    expect(listed.json.jobs.map((j: { jobId: string }) => j.jobId)).toEqual(['cli-3', 'cli-2', 'cli-1']);

    expect((await iot('get-job-document', '--job-id', 'cli-2')).json).toEqual({ document: '{"op":"x"}' });
  });

  it('lists executions for a job and for a thing, with a status filter', async () => {
    await device('update-job-execution', '--thing-name', 'c1', '--job-id', 'cli-1', '--status', 'FAILED');
    const forJob = await iot('list-job-executions-for-job', '--job-id', 'cli-1', '--page-size', '1');
    expect(forJob.json.executionSummaries.map((e: { thingArn: string }) => e.thingArn).sort()).toEqual([
      thingArn('c1'),
      thingArn('c2'),
    ]);
    const failed = await iot('list-job-executions-for-thing', '--thing-name', 'c1', '--status', 'FAILED');
    expect(failed.json.executionSummaries.map((e: { jobId: string }) => e.jobId)).toEqual(['cli-1']);
  });

  it('describes, cancels and deletes one execution', async () => {
    await device('start-next-pending-job-execution', '--thing-name', 'c2');
    const described = await iot('describe-job-execution', '--job-id', 'cli-1', '--thing-name', 'c2');
    expect(described.json.execution).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2 });

    const refused = await iot('cancel-job-execution', '--job-id', 'cli-1', '--thing-name', 'c2');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('(InvalidStateTransitionException)');
    const stale = await iot(
      'cancel-job-execution',
      '--job-id',
      'cli-1',
      '--thing-name',
      'c2',
      '--force',
      '--expected-version',
      '1',
    );
    expect(stale.stderr).toContain('(VersionConflictException)');
    expect(
      (
        await iot(
          'cancel-job-execution',
          '--job-id',
          'cli-1',
          '--thing-name',
          'c2',
          '--force',
          '--expected-version',
          '2',
        )
      ).code,
    ).toBe(0);

    expect(
      (await iot('delete-job-execution', '--job-id', 'cli-1', '--thing-name', 'c2', '--execution-number', '1')).code,
    ).toBe(0);
    const gone = await iot('describe-job-execution', '--job-id', 'cli-1', '--thing-name', 'c2');
    expect(gone.stderr).toContain('(ResourceNotFoundException)');
  });

  it('cancels a job with a reason, then deletes it', async () => {
    const canceled = await iot(
      'cancel-job',
      '--job-id',
      'cli-2',
      '--reason-code',
      'RECALL',
      '--comment',
      'bad build',
      '--force',
    );
    expect(canceled).toMatchObject({ code: 0, json: { jobId: 'cli-2' } });
    expect((await iot('describe-job', '--job-id', 'cli-2')).json.job).toMatchObject({
      status: 'CANCELED',
      forceCanceled: true,
      reasonCode: 'RECALL',
    });

    const running = await iot('delete-job', '--job-id', 'cli-3');
    expect(running.stderr).toContain('(InvalidStateTransitionException)');
    expect((await iot('delete-job', '--job-id', 'cli-3', '--force')).code).toBe(0);
    expect((await iot('delete-job', '--job-id', 'cli-2')).code).toBe(0);
    expect((await iot('describe-job', '--job-id', 'cli-2')).stderr).toContain('(ResourceNotFoundException)');
  });
});
