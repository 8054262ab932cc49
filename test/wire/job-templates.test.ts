import {
  ConflictException,
  CreateJobCommand,
  CreateJobTemplateCommand,
  DeleteJobTemplateCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  InvalidRequestException,
  ListJobTemplatesCommand,
  paginateListJobTemplates,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** Job templates through @aws-sdk/client-iot and the AWS CLI, on the local runner. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const templateArn = (id: string) => `arn:aws:iot:us-east-1:123456789012:jobtemplate/${id}`;
const configs = {
  timeoutConfig: { inProgressTimeoutInMinutes: 30 },
  jobExecutionsRolloutConfig: { maximumPerMinute: 50 },
  abortConfig: {
    criteriaList: [
      {
        failureType: 'ALL' as const,
        action: 'CANCEL' as const,
        thresholdPercentage: 25,
        minNumberOfExecutedThings: 10,
      },
    ],
  },
  jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED' as const, numberOfRetries: 2 }] },
  maintenanceWindows: [{ startTime: 'cron(0 22 ? * MON-FRI *)', durationInMinutes: 120 }],
};

beforeAll(async () => {
  f = await startWireFixture();
});

afterAll(() => f?.stop());

describe('job templates with @aws-sdk/client-iot', () => {
  it("creates one, describes it as given, and makes jobs of it: the document and configs from the template, the request's own configs first", async () => {
    const created = await f.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'ota-base',
        description: 'firmware rollout',
        document: '{"op":"flash"}',
        ...configs,
      }),
    );
    expect(created).toMatchObject({ jobTemplateId: 'ota-base', jobTemplateArn: templateArn('ota-base') });
    const described = await f.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'ota-base' }));
    expect(described).toMatchObject({
      jobTemplateId: 'ota-base',
      description: 'firmware rollout',
      document: '{"op":"flash"}',
      ...configs,
    });
    expect(described.createdAt).toBeInstanceOf(Date);

    await f.iot.send(
      new CreateJobCommand({
        jobId: 'from-template',
        targets: [thingArn('t-1')],
        jobTemplateArn: templateArn('ota-base'),
        timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      }),
    );
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'from-template' }));
    expect(job).toMatchObject({
      jobTemplateArn: templateArn('ota-base'),
      description: 'firmware rollout',
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      jobExecutionsRolloutConfig: configs.jobExecutionsRolloutConfig,
      abortConfig: configs.abortConfig,
      jobExecutionsRetryConfig: configs.jobExecutionsRetryConfig,
      schedulingConfig: { maintenanceWindows: configs.maintenanceWindows },
    });
  });

  it('makes a template of an existing job, and refuses a second template of the same ID with ConflictException', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'model-job',
        targets: [thingArn('t-2')],
        document: '{"op":"reboot"}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 7 },
      }),
    );
    await f.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'from-job',
        description: 'copied',
        jobArn: 'arn:aws:iot:us-east-1:123456789012:job/model-job',
      }),
    );
    expect(await f.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'from-job' }))).toMatchObject({
      document: '{"op":"reboot"}',
      jobExecutionsRolloutConfig: { maximumPerMinute: 7 },
    });
    await expect(
      f.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'from-job', description: 'again', document: '{}' })),
    ).rejects.toBeInstanceOf(ConflictException);
  });

  it('lists templates page by page, and deletes one', async () => {
    for (const id of ['page-a', 'page-b', 'page-c'])
      await f.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: id, document: '{}' }));
    const first = await f.iot.send(new ListJobTemplatesCommand({ maxResults: 2 }));
    expect(first.jobTemplates).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const ids: string[] = [];
    for await (const page of paginateListJobTemplates({ client: f.iot, pageSize: 2 }, {}))
      ids.push(...page.jobTemplates!.map((t) => t.jobTemplateId!));
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['ota-base', 'from-job', 'page-a', 'page-b', 'page-c']));
    expect(first.jobTemplates![0]).toMatchObject({
      jobTemplateArn: expect.stringContaining(':jobtemplate/'),
      createdAt: expect.any(Date),
    });

    await f.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'page-b' }));
    await expect(f.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'page-b' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(f.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'page-b' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses a job of a missing template, a document beside a template, and a template without a document or with both', async () => {
    await expect(
      f.iot.send(
        new CreateJobCommand({ jobId: 'orphan', targets: [thingArn('t-3')], jobTemplateArn: templateArn('nope') }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      f.iot.send(
        new CreateJobCommand({
          jobId: 'orphan',
          targets: [thingArn('t-3')],
          jobTemplateArn: templateArn('ota-base'),
          document: '{}',
        }),
      ),
    ).rejects.toThrow('document: give the document or a jobTemplateArn, not both');
    for (const input of [
      { description: 'd' },
      { description: 'd', document: '{}', jobArn: 'arn:aws:iot:us-east-1:123456789012:job/model-job' },
    ]) {
      const attempt = f.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'bad-template', ...input }));
      await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
      await expect(attempt).rejects.toThrow('document, documentSource, jobArn: give exactly one');
    }
    await expect(
      f.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'bad-template',
          description: 'd',
          document: '{}',
          jobExecutionsRolloutConfig: { maximumPerMinute: 0 },
        }),
      ),
    ).rejects.toThrow('jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000');
    await expect(
      f.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'bad-template',
          description: 'd',
          jobArn: 'arn:aws:iot:us-east-1:123456789012:job/none',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('job templates with the AWS CLI', () => {
  it('creates, describes, lists and deletes a template, and creates a job from it', async () => {
    expect(
      (
        await cli(
          'create-job-template',
          '--job-template-id',
          'cli-template',
          '--description',
          'from the CLI',
          '--document',
          '{"op":"cli"}',
          '--job-executions-rollout-config',
          'maximumPerMinute=9',
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-job-template', '--job-template-id', 'cli-template')).json).toMatchObject({
      document: '{"op":"cli"}',
      jobExecutionsRolloutConfig: { maximumPerMinute: 9 },
    });
    expect(
      (await cli('list-job-templates')).json.jobTemplates.map((t: { jobTemplateId: string }) => t.jobTemplateId),
    ).toContain('cli-template');
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'cli-from-template',
          '--targets',
          thingArn('t-4'),
          '--job-template-arn',
          templateArn('cli-template'),
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-job', '--job-id', 'cli-from-template')).json.job).toMatchObject({
      jobTemplateArn: templateArn('cli-template'),
      jobExecutionsRolloutConfig: { maximumPerMinute: 9 },
    });
    expect((await cli('delete-job-template', '--job-template-id', 'cli-template')).code).toBe(0);
    const gone = await cli('describe-job-template', '--job-template-id', 'cli-template');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('ResourceNotFoundException');
  });
});
