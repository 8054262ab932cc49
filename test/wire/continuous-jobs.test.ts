import {
  AddThingToThingGroupCommand,
  AssociateTargetsWithJobCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobCommand,
  DescribeThingGroupCommand,
  InvalidRequestException,
  LimitExceededException,
  ListJobExecutionsForJobCommand,
  ListJobsCommand,
  RemoveThingFromThingGroupCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Continuous jobs and AssociateTargetsWithJob through @aws-sdk/client-iot, the device SDK and the AWS CLI, on the local
 * runner.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const groupArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;
const add = (thingName: string, thingGroupName: string) =>
  f.iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName }));
const remove = (thingName: string, thingGroupName: string) =>
  f.iot.send(new RemoveThingFromThingGroupCommand({ thingName, thingGroupName }));
const continuous = (jobId: string, targets: string[], description?: string) =>
  f.iot.send(
    new CreateJobCommand({
      jobId,
      targets,
      targetSelection: 'CONTINUOUS',
      document: `{"job":"${jobId}"}`,
      ...(description ? { description } : {}),
    }),
  );
/**
 * Each thing's execution status, as the operator lists them (the runner's management reads first catch up with the
 * stream).
 */
async function statuses(jobId: string): Promise<Record<string, string>> {
  const listed = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
  return Object.fromEntries(
    (listed.executionSummaries ?? []).map((e) => [e.thingArn!.split('/').pop()!, e.jobExecutionSummary!.status!]),
  );
}

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  // fleet > europe, and canary on its own.
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleet' }));
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'europe', parentGroupName: 'fleet' }));
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'canary' }));
  for (const thingName of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5']) await f.iot.send(new CreateThingCommand({ thingName }));
  await add('c-1', 'fleet');
  await add('c-2', 'europe');
  await add('c-4', 'canary');
});

afterAll(() => f?.stop());

describe('a continuous job with @aws-sdk/client-iot', () => {
  it('gives a thing that joins a target group (or one below it) its execution, and REMOVES a QUEUED one that leaves', async () => {
    await continuous('rollout', [groupArn('fleet')]);
    expect(await statuses('rollout')).toEqual({ 'c-1': 'QUEUED', 'c-2': 'QUEUED' });
    await add('c-3', 'europe');
    await remove('c-1', 'fleet');
    expect(await statuses('rollout')).toEqual({ 'c-1': 'REMOVED', 'c-2': 'QUEUED', 'c-3': 'QUEUED' });
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'rollout' }));
    expect(job).toMatchObject({
      targetSelection: 'CONTINUOUS',
      status: 'IN_PROGRESS',
      jobProcessDetails: { numberOfQueuedThings: 2, numberOfRemovedThings: 1 },
    });
    // The device no longer has the job it left.
    const pending = await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'c-1' }));
    expect(pending.queuedJobs?.map((j) => j.jobId)).not.toContain('rollout');
  });

  it('AssociateTargetsWithJob adds a group: its members get the job at once, and a thing that joins it later too', async () => {
    await continuous('widen', [groupArn('europe')], 'firmware 2');
    const answer = await f.iot.send(
      new AssociateTargetsWithJobCommand({ jobId: 'widen', targets: [groupArn('canary')], comment: 'canaries too' }),
    );
    expect(answer).toMatchObject({
      jobId: 'widen',
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/widen',
      description: 'firmware 2',
    });
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'widen' }));
    expect(job).toMatchObject({ targets: [groupArn('europe'), groupArn('canary')], comment: 'canaries too' });
    expect(job?.jobProcessDetails?.processingTargets).toBeUndefined();
    expect(await statuses('widen')).toMatchObject({ 'c-4': 'QUEUED' });
    await add('c-5', 'canary');
    expect(await statuses('widen')).toMatchObject({ 'c-4': 'QUEUED', 'c-5': 'QUEUED' });
    // The same group again changes nothing.
    await f.iot.send(new AssociateTargetsWithJobCommand({ jobId: 'widen', targets: [groupArn('canary')] }));
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'widen' }))).job?.targets).toHaveLength(2);
  });

  it('lists continuous jobs apart, page by page', async () => {
    const first = await f.iot.send(new ListJobsCommand({ targetSelection: 'CONTINUOUS', maxResults: 1 }));
    expect(first.jobs).toHaveLength(1);
    expect(first.jobs?.[0]?.targetSelection).toBe('CONTINUOUS');
    const rest = await f.iot.send(new ListJobsCommand({ targetSelection: 'CONTINUOUS', nextToken: first.nextToken! }));
    expect([...first.jobs!, ...rest.jobs!].map((j) => j.jobId)).toEqual(expect.arrayContaining(['rollout', 'widen']));
  });

  it('ListJobs by thingGroupName lists the jobs that target that group; thingGroupId is refused', async () => {
    await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'listed' }));
    await continuous('by-group', [groupArn('listed')]);
    await continuous('by-other', [groupArn('europe')]);
    const ids = async (filter: { thingGroupName?: string; targetSelection?: 'CONTINUOUS' | 'SNAPSHOT' }) =>
      (await f.iot.send(new ListJobsCommand(filter))).jobs?.map((j) => j.jobId) ?? [];
    expect(await ids({ thingGroupName: 'listed' })).toEqual(['by-group']);
    expect(await ids({ thingGroupName: 'listed', targetSelection: 'CONTINUOUS' })).toEqual(['by-group']);
    expect(await ids({ thingGroupName: 'listed', targetSelection: 'SNAPSHOT' })).toEqual([]);
    expect(await ids({ thingGroupName: 'never-made' })).toEqual([]);
    const { thingGroupId } = await f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'listed' }));
    await expect(f.iot.send(new ListJobsCommand({ thingGroupId: thingGroupId! }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(f.iot.send(new ListJobsCommand({ thingGroupName: 'not a name!' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    expect(
      (await cli('list-jobs', '--thing-group-name', 'listed')).json.jobs.map((j: { jobId: string }) => j.jobId),
    ).toEqual(['by-group']);
  });

  it('answers each refusal of AssociateTargetsWithJob with the error AWS names', async () => {
    await f.iot.send(new CreateJobCommand({ jobId: 'snap', targets: [groupArn('canary')], document: '{}' }));
    await continuous('stopped', [groupArn('canary')]);
    await f.iot.send(new CancelJobCommand({ jobId: 'stopped' }));
    const associate = (jobId: string, targets: string[], extra: object = {}) =>
      f.iot.send(new AssociateTargetsWithJobCommand({ jobId, targets, ...extra }));
    const refusals: [string, () => Promise<unknown>, new (...args: never[]) => Error, string][] = [
      ['a snapshot job', () => associate('snap', [groupArn('fleet')]), InvalidRequestException, 'SNAPSHOT'],
      ['a canceled job', () => associate('stopped', [groupArn('fleet')]), InvalidRequestException, 'CANCELED'],
      ['an unknown job', () => associate('never', [groupArn('fleet')]), ResourceNotFoundException, 'never'],
      ['an unknown group', () => associate('rollout', [groupArn('nowhere')]), ResourceNotFoundException, 'nowhere'],
      [
        'a thing target',
        () => associate('rollout', [thingArn('c-5')]),
        InvalidRequestException,
        'thing group ARNs only',
      ],
      ['no targets', () => associate('rollout', []), InvalidRequestException, 'targets'],
      [
        'a namespace',
        () => associate('rollout', [groupArn('canary')], { namespaceId: 'ns' }),
        InvalidRequestException,
        'namespaceId',
      ],
    ];
    for (const [what, call, type, message] of refusals) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect({
        what,
        type: error instanceof type,
        message: String((error as Error | undefined)?.message).includes(message),
      }).toEqual({ what, type: true, message: true });
    }
  });

  it('refuses past 100 targets with LimitExceededException', async () => {
    for (let i = 0; i < 100; i++) await f.iot.send(new CreateThingGroupCommand({ thingGroupName: `many-${i}` }));
    await continuous(
      'wide',
      Array.from({ length: 99 }, (_, i) => groupArn(`many-${i}`)),
    );
    await f.iot.send(new AssociateTargetsWithJobCommand({ jobId: 'wide', targets: [groupArn('many-99')] }));
    await expect(
      f.iot.send(new AssociateTargetsWithJobCommand({ jobId: 'wide', targets: [groupArn('canary')] })),
    ).rejects.toBeInstanceOf(LimitExceededException);
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'wide' }))).job?.targets).toHaveLength(100);
  });
});

describe('a continuous job with the AWS CLI', () => {
  it('creates one, associates a group, lists it by target selection, and names a refusal', async () => {
    const created = await cli(
      'create-job',
      '--job-id',
      'cli-cont',
      '--targets',
      groupArn('europe'),
      '--target-selection',
      'CONTINUOUS',
      '--document',
      '{"v":1}',
    );
    expect(created.code).toBe(0);
    const associated = await cli(
      'associate-targets-with-job',
      '--job-id',
      'cli-cont',
      '--targets',
      groupArn('canary'),
      '--comment',
      'from the CLI',
    );
    expect(associated).toMatchObject({ code: 0, json: { jobId: 'cli-cont' } });
    expect((await cli('describe-job', '--job-id', 'cli-cont')).json.job).toMatchObject({
      targetSelection: 'CONTINUOUS',
      targets: [groupArn('europe'), groupArn('canary')],
    });
    expect(
      (await cli('list-jobs', '--target-selection', 'CONTINUOUS')).json.jobs.map((j: { jobId: string }) => j.jobId),
    ).toContain('cli-cont');
    const refused = await cli('associate-targets-with-job', '--job-id', 'snap', '--targets', groupArn('fleet'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('(InvalidRequestException)');
  });
});
