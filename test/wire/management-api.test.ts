import {
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  CreatePolicyCommand,
  DeleteJobCommand,
  DeleteJobExecutionCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  InvalidRequestException,
  InvalidStateTransitionException,
  ListJobsCommand,
  paginateListJobExecutionsForJob,
  paginateListJobExecutionsForThing,
  paginateListJobs,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** Every management operation through the official @aws-sdk/client-iot, over HTTP, against the local runner. */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture();
});

afterAll(() => f?.stop());

const createJob = (jobId: string, things: string[], extra: Record<string, unknown> = {}) =>
  f.iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: `{"job":"${jobId}"}`, ...extra }));

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('management API with @aws-sdk/client-iot', () => {
  it('CreateJob, DescribeJob and GetJobDocument', async () => {
    const created = await createJob('sdk-1', ['a1', 'a2'], {
      description: 'first',
      timeoutConfig: { inProgressTimeoutInMinutes: 15 },
    });
    expect(created).toMatchObject({
      jobId: 'sdk-1',
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/sdk-1',
      description: 'first',
    });
    await f.service.countsCaughtUp();

    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'sdk-1' }));
    expect(job).toMatchObject({
      jobId: 'sdk-1',
      status: 'IN_PROGRESS',
      targetSelection: 'SNAPSHOT',
      description: 'first',
      timeoutConfig: { inProgressTimeoutInMinutes: 15 },
    });
    expect(job?.createdAt).toBeInstanceOf(Date);
    expect(job?.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 2, numberOfSucceededThings: 0 });

    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'sdk-1' }))).document).toBe('{"job":"sdk-1"}');
  });

  it('ListJobs pages with the SDK paginator and filters by status', async () => {
    for (const jobId of ['list-1', 'list-2', 'list-3', 'list-4', 'list-5']) await createJob(jobId, ['l1']);
    await f.iot.send(new CancelJobCommand({ jobId: 'list-2' }));
    const pages = await all(paginateListJobs({ client: f.iot, pageSize: 2 }, {}));
    const ids = pages.flatMap((p) => p.jobs ?? []).map((j) => j.jobId);
    expect(pages.length).toBeGreaterThan(2);
    expect(ids.filter((id) => id?.startsWith('list-'))).toEqual(['list-5', 'list-4', 'list-3', 'list-2', 'list-1']);
    const canceled = await all(paginateListJobs({ client: f.iot, pageSize: 2 }, { status: 'CANCELED' }));
    expect(canceled.flatMap((p) => p.jobs ?? []).map((j) => j.jobId)).toContain('list-2');
    expect(canceled.flatMap((p) => p.jobs ?? []).every((j) => j.status === 'CANCELED')).toBe(true);
  });

  it('ListJobExecutionsForJob and ListJobExecutionsForThing page through everything once', async () => {
    const fleet = Array.from({ length: 23 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
    await createJob('many', fleet);
    const byJob = await all(paginateListJobExecutionsForJob({ client: f.iot, pageSize: 5 }, { jobId: 'many' }));
    expect(
      byJob
        .flatMap((p) => p.executionSummaries ?? [])
        .map((e) => e.thingArn?.split('/')[1])
        .sort(),
    ).toEqual(fleet);

    for (const jobId of ['t-a', 't-b', 't-c']) await createJob(jobId, ['fleet-00']);
    const byThing = await all(
      paginateListJobExecutionsForThing({ client: f.iot, pageSize: 2 }, { thingName: 'fleet-00' }),
    );
    expect(byThing.flatMap((p) => p.executionSummaries ?? []).map((e) => e.jobId)).toEqual([
      'many',
      't-a',
      't-b',
      't-c',
    ]);
    expect(byThing[0]?.executionSummaries?.[0]?.jobExecutionSummary).toMatchObject({
      status: 'QUEUED',
      executionNumber: 1,
    });
  });

  it('DescribeJobExecution, CancelJobExecution (force, expectedVersion) and DeleteJobExecution', async () => {
    await createJob('exec', ['e1', 'e2']);
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'e1', statusDetails: { step: 'one' } }));
    const { execution } = await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'exec', thingName: 'e1' }));
    expect(execution).toMatchObject({
      jobId: 'exec',
      status: 'IN_PROGRESS',
      thingArn: thingArn('e1'),
      versionNumber: 2,
      statusDetails: { detailsMap: { step: 'one' } },
    });

    await expect(f.iot.send(new CancelJobExecutionCommand({ jobId: 'exec', thingName: 'e1' }))).rejects.toBeInstanceOf(
      InvalidStateTransitionException,
    );
    await expect(
      f.iot.send(new CancelJobExecutionCommand({ jobId: 'exec', thingName: 'e1', force: true, expectedVersion: 1 })),
    ).rejects.toBeInstanceOf(VersionConflictException);
    await f.iot.send(
      new CancelJobExecutionCommand({
        jobId: 'exec',
        thingName: 'e1',
        force: true,
        expectedVersion: 2,
        statusDetails: { why: 'recall' },
      }),
    );
    expect(
      (await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'exec', thingName: 'e1' }))).execution,
    ).toMatchObject({ status: 'CANCELED', forceCanceled: true });

    await expect(
      f.iot.send(new DeleteJobExecutionCommand({ jobId: 'exec', thingName: 'e2', executionNumber: 1 })),
    ).rejects.toBeInstanceOf(InvalidStateTransitionException);
    await expect(
      f.iot.send(new DeleteJobExecutionCommand({ jobId: 'exec', thingName: 'e1', executionNumber: 9 })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await f.iot.send(new DeleteJobExecutionCommand({ jobId: 'exec', thingName: 'e1', executionNumber: 1 }));
    await expect(
      f.iot.send(new DescribeJobExecutionCommand({ jobId: 'exec', thingName: 'e1' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('CancelJob cascades; DeleteJob needs force while the job runs', async () => {
    await createJob('cascade', ['c1', 'c2']);
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'c1' }));
    await expect(f.iot.send(new DeleteJobCommand({ jobId: 'cascade' }))).rejects.toBeInstanceOf(
      InvalidStateTransitionException,
    );

    await f.iot.send(new CancelJobCommand({ jobId: 'cascade', reasonCode: 'RECALL', comment: 'bad build' }));
    const c2 = await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'cascade', thingName: 'c2' }));
    expect(c2.execution?.status).toBe('CANCELED');
    const late = f.device.send(
      new UpdateJobExecutionCommand({ thingName: 'c2', jobId: 'cascade', status: 'SUCCEEDED' }),
    );
    await expect(late).rejects.toMatchObject({ name: 'InvalidStateTransitionException' });
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'cascade' }))).job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'RECALL',
      comment: 'bad build',
      forceCanceled: false,
    });

    await f.iot.send(new DeleteJobCommand({ jobId: 'cascade' }));
    await expect(f.iot.send(new DescribeJobCommand({ jobId: 'cascade' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('marks a job COMPLETED once every execution is final', async () => {
    await createJob('finish', ['d1', 'd2']);
    for (const thingName of ['d1', 'd2']) {
      await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
      await f.device.send(new UpdateJobExecutionCommand({ thingName, jobId: 'finish', status: 'SUCCEEDED' }));
    }
    await f.service.countsCaughtUp();
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'finish' }));
    expect(job).toMatchObject({
      status: 'COMPLETED',
      jobProcessDetails: { numberOfSucceededThings: 2, numberOfQueuedThings: 0, numberOfInProgressThings: 0 },
    });
    expect(job?.completedAt).toBeInstanceOf(Date);
  });

  it.each([
    ['another region', ['arn:aws:iot:eu-central-1:123456789012:thing/zz']],
    ['another account', ['arn:aws:iot:us-east-1:999999999999:thing/zz']],
    ['another partition', ['arn:aws-cn:iot:us-east-1:123456789012:thing/zz']],
    [
      'a list with one foreign target',
      [thingArn('ok-1'), 'arn:aws:iot:eu-central-1:999999999999:thing/zz', thingArn('ok-2')],
    ],
  ])('refuses targets of %s with ResourceNotFoundException, and creates nothing', async (name, targets) => {
    const jobId = `foreign-${name.replace(/\W+/g, '-')}`;
    await expect(f.iot.send(new CreateJobCommand({ jobId, targets, document: '{}' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(f.iot.send(new DescribeJobCommand({ jobId }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(
      (await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'ok-1' }))).queuedJobs?.map((j) => j.jobId),
    ).not.toContain(jobId);
  });

  it('shows the final device update in DescribeJob and ListJobs at once: COMPLETED, with exact counts', async () => {
    await createJob('at-once', ['o1', 'o2']);
    for (const thingName of ['o1', 'o2']) {
      await f.device.send(
        new UpdateJobExecutionCommand({
          thingName,
          jobId: 'at-once',
          status: thingName === 'o1' ? 'SUCCEEDED' : 'FAILED',
        }),
      );
    }
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'at-once' }));
    expect(job).toMatchObject({
      status: 'COMPLETED',
      jobProcessDetails: { numberOfSucceededThings: 1, numberOfFailedThings: 1, numberOfQueuedThings: 0 },
    });
    const listed = await f.iot.send(new ListJobsCommand({ status: 'COMPLETED' }));
    expect(listed.jobs?.map((j) => j.jobId)).toContain('at-once');
  });

  it('filters ListJobs by every status and target selection of the model: SCHEDULED matches no job yet', async () => {
    await createJob('listed', ['l1']);
    await createJob('listed-continuous', ['l2'], { targetSelection: 'CONTINUOUS' });
    const ids = async (filter: { status?: 'SCHEDULED' | 'IN_PROGRESS'; targetSelection?: 'SNAPSHOT' | 'CONTINUOUS' }) =>
      (await f.iot.send(new ListJobsCommand(filter))).jobs?.map((j) => j.jobId) ?? [];
    expect(await ids({ status: 'SCHEDULED' })).toEqual([]);
    expect(await ids({ targetSelection: 'CONTINUOUS' })).toEqual(['listed-continuous']);
    expect((await f.iot.send(new ListJobsCommand({ targetSelection: 'CONTINUOUS' }))).jobs?.[0]?.targetSelection).toBe(
      'CONTINUOUS',
    );
    expect(await ids({ targetSelection: 'SNAPSHOT' })).toContain('listed');
    expect(await ids({ targetSelection: 'SNAPSHOT' })).not.toContain('listed-continuous');
    expect(await ids({ status: 'IN_PROGRESS', targetSelection: 'SNAPSHOT' })).toContain('listed');
    expect(await ids({})).toContain('listed');
  });

  it.each([
    ['CreateJob of a taken jobId', () => createJob('sdk-1', ['a1']), ResourceAlreadyExistsException],
    [
      'CreateJob without targets',
      () => f.iot.send(new CreateJobCommand({ jobId: 'bad', targets: [], document: '{}' })),
      InvalidRequestException,
    ],
    [
      'DescribeJob of an unknown job',
      () => f.iot.send(new DescribeJobCommand({ jobId: 'unknown' })),
      ResourceNotFoundException,
    ],
    [
      'GetJobDocument of an unknown job',
      () => f.iot.send(new GetJobDocumentCommand({ jobId: 'unknown' })),
      ResourceNotFoundException,
    ],
    [
      'CancelJob of an unknown job',
      () => f.iot.send(new CancelJobCommand({ jobId: 'unknown' })),
      ResourceNotFoundException,
    ],
    [
      'DeleteJob of an unknown job',
      () => f.iot.send(new DeleteJobCommand({ jobId: 'unknown' })),
      ResourceNotFoundException,
    ],
    ['ListJobs with maxResults 0', () => f.iot.send(new ListJobsCommand({ maxResults: 0 })), InvalidRequestException],
    [
      'ListJobs with a forged nextToken',
      () => f.iot.send(new ListJobsCommand({ nextToken: 'Zm9yZ2Vk' })),
      InvalidRequestException,
    ],
    [
      'CancelJobExecution of nothing',
      () => f.iot.send(new CancelJobExecutionCommand({ jobId: 'sdk-1', thingName: 'nobody' })),
      ResourceNotFoundException,
    ],
    [
      'CancelJob with a lower-case reasonCode',
      () => f.iot.send(new CancelJobCommand({ jobId: 'sdk-1', reasonCode: 'oops' })),
      InvalidRequestException,
    ],
  ])('answers %s with its documented error', async (_name, call, type) => {
    await expect(call()).rejects.toBeInstanceOf(type);
  });

  it('refuses an AWS operation it does not implement by name, as a 400 the SDK does not retry', async () => {
    // IoT policies are out of this service's scope.
    const error = await f.iot
      .send(new CreatePolicyCommand({ policyName: 'devices', policyDocument: '{}' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect((error as Error).message).toBe(
      'CreatePolicy (POST /policies/devices) is not an operation this service implements; docs/api.md lists those it does',
    );
    expect((error as { $metadata: { attempts?: number } }).$metadata.attempts).toBe(1);
  });
});
