import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  GetJobDocumentCommand,
} from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { aws } from '../support/aws-cli';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * A job document in S3 (documentSource): read from the runner's local S3 when the job or template is created, and
 * shown as AWS shows it: the URL in DescribeJob and DescribeJobTemplate, the document in GetJobDocument and to devices.
 */
let f: WireFixture;
let s3: S3Client;
const BUCKET = 'job-documents';
const DOCUMENT = JSON.stringify({ operation: 'install', version: '3.1', notes: 'é'.repeat(10) });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      message: e.message,
    }),
  );

beforeAll(async () => {
  f = await startWireFixture({ s3Port: 0 });
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.s3Endpoint!, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'jobs/install.json', Body: DOCUMENT }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.json', Body: 'x'.repeat(32769) }));
});

afterAll(async () => {
  s3?.destroy();
  await f?.stop();
});

describe('documentSource', () => {
  it.each([
    ['path-style', `https://s3.amazonaws.com/${BUCKET}/jobs/install.json`],
    ['path-style in a region', `https://s3.eu-west-1.amazonaws.com/${BUCKET}/jobs/install.json`],
    ['virtual-hosted', `https://${BUCKET}.s3.amazonaws.com/jobs/install.json`],
    ['virtual-hosted in a region', `https://${BUCKET}.s3.us-east-1.amazonaws.com/jobs/install.json`],
  ])(
    '%s: the document is read at creation; DescribeJob shows the URL, the document goes to GetJobDocument and devices',
    async (form, url) => {
      const jobId = `source-${form.replaceAll(/\W/g, '-')}`;
      await f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('src-1')], documentSource: url }));

      const described = await f.iot.send(new DescribeJobCommand({ jobId }));
      expect(described.documentSource).toBe(url);
      expect(described.job?.jobId).toBe(jobId);
      expect((await f.iot.send(new GetJobDocumentCommand({ jobId }))).document).toBe(DOCUMENT);
      const execution = await f.device.send(
        new DescribeJobExecutionCommand({ thingName: 'src-1', jobId, includeJobDocument: true }),
      );
      expect(execution.execution?.jobDocument).toBe(DOCUMENT);
    },
  );

  it('a job with its document inline shows no documentSource', async () => {
    await f.iot.send(new CreateJobCommand({ jobId: 'inline', targets: [thingArn('src-1')], document: '{}' }));
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'inline' }))).documentSource).toBeUndefined();
  });

  it('refuses a missing object, a missing bucket, a document over 32 KB and a URL that is not S3, creating nothing', async () => {
    const create = (jobId: string, documentSource: string) =>
      refusal(f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('src-1')], documentSource })));
    expect(await create('no-object', `https://s3.amazonaws.com/${BUCKET}/nope.json`)).toEqual({
      name: 'InvalidRequestException',
      status: 400,
      message: `documentSource: there is no object nope.json in bucket ${BUCKET}`,
    });
    expect(await create('no-bucket', 'https://s3.amazonaws.com/no-such-bucket/doc.json')).toMatchObject({
      name: 'InvalidRequestException',
      message: 'documentSource: there is no object doc.json in bucket no-such-bucket',
    });
    expect(await create('too-big', `https://s3.amazonaws.com/${BUCKET}/big.json`)).toMatchObject({
      name: 'InvalidRequestException',
      message: 'documentSource: the document is 32769 bytes; a job document is at most 32768 bytes',
    });
    expect(await create('not-s3', 'https://example.com/doc.json')).toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('documentSource: must be an S3 object URL'),
    });
    for (const jobId of ['no-object', 'no-bucket', 'too-big', 'not-s3'])
      expect(await refusal(f.iot.send(new DescribeJobCommand({ jobId })))).toMatchObject({
        name: 'ResourceNotFoundException',
      });
  });

  it('a template from S3: DescribeJobTemplate shows the URL and the document; its jobs show the URL too', async () => {
    const url = `https://${BUCKET}.s3.amazonaws.com/jobs/install.json`;
    await f.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'from-s3', description: 'install', documentSource: url }),
    );
    const template = await f.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'from-s3' }));
    expect(template).toMatchObject({ documentSource: url, document: DOCUMENT });

    await f.iot.send(
      new CreateJobCommand({
        jobId: 'of-template',
        targets: [thingArn('src-2')],
        jobTemplateArn: template.jobTemplateArn,
      }),
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'of-template' }))).documentSource).toBe(url);
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'of-template' }))).document).toBe(DOCUMENT);
  });

  it('a runner without its S3 refuses a documentSource, saying so', async () => {
    const bare = await startWireFixture();
    try {
      expect(
        await refusal(
          bare.iot.send(
            new CreateJobCommand({
              jobId: 'no-s3',
              targets: [thingArn('src-1')],
              documentSource: `https://s3.amazonaws.com/${BUCKET}/jobs/install.json`,
            }),
          ),
        ),
      ).toEqual({
        name: 'InvalidRequestException',
        status: 400,
        message: 'documentSource: this local runner serves no S3 (it was started with --s3-port 0)',
      });
    } finally {
      await bare.stop();
    }
  });

  it('the AWS CLI: create-job --document-source, after aws s3 cp', async () => {
    const endpoint = f.service.s3Endpoint!;
    const folder = mkdtempSync(join(tmpdir(), 'doc-source-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const empty = join(folder, 'empty.json');
    writeFileSync(empty, '');
    const copied = await aws(
      's3',
      'cp',
      empty,
      `s3://${BUCKET}/cli.json`,
      '--endpoint-url',
      endpoint,
      '--only-show-errors',
    );
    expect(copied.code).toBe(0);
    const refused = await aws(
      ...['iot', 'create-job', '--endpoint-url', f.service.managementEndpoint, '--job-id', 'cli-empty'],
      ...['--targets', thingArn('src-1'), '--document-source', `https://s3.amazonaws.com/${BUCKET}/cli.json`],
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('documentSource: the document is empty');
    const created = await aws(
      ...['iot', 'create-job', '--endpoint-url', f.service.managementEndpoint, '--job-id', 'cli'],
      ...['--targets', thingArn('src-1'), '--document-source', `https://s3.amazonaws.com/${BUCKET}/jobs/install.json`],
    );
    expect(created).toMatchObject({ code: 0, json: { jobId: 'cli' } });
    const described = await aws(
      'iot',
      'describe-job',
      '--endpoint-url',
      f.service.managementEndpoint,
      '--job-id',
      'cli',
    );
    expect(described.json.documentSource).toBe(`https://s3.amazonaws.com/${BUCKET}/jobs/install.json`);
  });
});
