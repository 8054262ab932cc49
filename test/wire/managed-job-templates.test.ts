import { randomBytes } from 'node:crypto';
import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  DescribeJobCommand,
  DescribeManagedJobTemplateCommand,
  GetJobDocumentCommand,
  InvalidRequestException,
  ListManagedJobTemplatesCommand,
  paginateListManagedJobTemplates,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * AWS's managed job templates through @aws-sdk/client-iot: listed and described as AWS publishes them, and jobs made of
 * AWS-Download-File with documentParameters, which a device receives with the values in place.
 */
let f: WireFixture;
let s3: S3Client;
const DOWNLOAD_FILE = 'arn:aws:iot:us-east-1::jobtemplate/AWS-Download-File:1.0';
const NAMES = [
  'AWS-Download-File',
  'AWS-Install-Application',
  'AWS-Reboot',
  'AWS-Remove-Application',
  'AWS-Restart-Application',
  'AWS-Start-Application',
  'AWS-Stop-Application',
];

/** A thing's next job, started, as the device receives its document. */
async function nextDocument(thingName: string) {
  const { execution } = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
  return JSON.parse(execution!.jobDocument!) as {
    version: string;
    steps: {
      action: {
        name: string;
        type: string;
        input: { handler: string; args: string[]; path: string };
        runAsUser: string;
      };
    }[];
  };
}

beforeAll(async () => {
  f = await startWireFixture({ s3Port: 0 });
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.s3Endpoint!, forcePathStyle: true });
});

afterAll(async () => {
  s3?.destroy();
  await f?.stop();
});

describe('ListManagedJobTemplates and DescribeManagedJobTemplate', () => {
  it('lists every managed template in pages of maxResults, each with its account-less ARN', async () => {
    const pages = [];
    for await (const page of paginateListManagedJobTemplates({ client: f.iot, pageSize: 3 }, {})) pages.push(page);
    expect(pages.map((page) => page.managedJobTemplates!.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)!.nextToken).toBeUndefined();
    const listed = pages.flatMap((page) => page.managedJobTemplates!);
    expect(listed.map((template) => template.templateName)).toEqual(NAMES);
    expect(listed[2]).toEqual({
      templateArn: 'arn:aws:iot:us-east-1::jobtemplate/AWS-Reboot:1.0',
      templateName: 'AWS-Reboot',
      description: 'A managed job template for rebooting the device.',
      environments: ['LINUX'],
      templateVersion: '1.0',
    });
  });

  it('filters by templateName; a name no template has lists nothing', async () => {
    const one = await f.iot.send(new ListManagedJobTemplatesCommand({ templateName: 'AWS-Download-File' }));
    expect(one.managedJobTemplates!.map((template) => template.templateArn)).toEqual([DOWNLOAD_FILE]);
    const none = await f.iot.send(new ListManagedJobTemplatesCommand({ templateName: 'AWS-Nothing' }));
    expect(none.managedJobTemplates).toEqual([]);
  });

  it("describes AWS-Download-File: its parameters' rules and the document the Device Client runs", async () => {
    const described = await f.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Download-File' }));
    expect(described).toMatchObject({ templateArn: DOWNLOAD_FILE, templateVersion: '1.0', environments: ['LINUX'] });
    expect(described.documentParameters!.map(({ key, optional }) => [key, optional])).toEqual([
      ['downloadUrl', false],
      ['filePath', false],
      ['runAsUser', true],
      ['pathToHandler', true],
    ]);
    expect(described.document).toBe(
      `{"version":"1.0","steps":[{"action":{"name":"Download-File","type":"runHandler","input":{"handler":"download-file.sh","args":["\${aws:iot:parameter:downloadUrl}","\${aws:iot:parameter:filePath}"],"path":"\${aws:iot:parameter:pathToHandler}"},"runAsUser":"\${aws:iot:parameter:runAsUser}"}}]}`,
    );
    const versioned = await f.iot.send(
      new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Reboot', templateVersion: '1.0' }),
    );
    expect(JSON.parse(versioned.document!).steps[0].action.input).toEqual({
      handler: 'reboot.sh',
      path: `\${aws:iot:parameter:pathToHandler}`,
    });
  });

  it('refuses an unknown template or version (ResourceNotFoundException), and a bad token', async () => {
    await expect(
      f.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Format-Disk' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      f.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Reboot', templateVersion: '2.0' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      f.iot.send(new ListManagedJobTemplatesCommand({ nextToken: 'bm90LWEtdG9rZW4' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
  });
});

describe('CreateJob from a managed template with documentParameters', () => {
  it('substitutes the values at creation: DescribeJob shows them, and a device receives them in place', async () => {
    const created = await f.iot.send(
      new CreateJobCommand({
        jobId: 'download-1',
        targets: [thingArn('dl-1')],
        jobTemplateArn: DOWNLOAD_FILE,
        documentParameters: { downloadUrl: 'https://example.com/fw "3".bin', filePath: '/tmp/fw.bin' },
      }),
    );
    expect(created.description).toBe('A managed job template for downloading a file.');
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'download-1' }));
    expect(job).toMatchObject({
      jobTemplateArn: DOWNLOAD_FILE,
      documentParameters: { downloadUrl: 'https://example.com/fw "3".bin', filePath: '/tmp/fw.bin' },
    });
    const document = await nextDocument('dl-1');
    expect(document.steps[0]!.action).toEqual({
      name: 'Download-File',
      type: 'runHandler',
      input: { handler: 'download-file.sh', args: ['https://example.com/fw "3".bin', '/tmp/fw.bin'], path: '' },
      runAsUser: '',
    });
    const stored = await f.iot.send(new GetJobDocumentCommand({ jobId: 'download-1' }));
    expect(JSON.parse(stored.document!)).toEqual(document);
  });

  it('composes with presignedUrlConfig: a presigned-URL placeholder as downloadUrl reaches the device as a URL that downloads', async () => {
    const firmware = randomBytes(2048);
    await s3.send(new CreateBucketCommand({ Bucket: 'managed-fw' }));
    await s3.send(new PutObjectCommand({ Bucket: 'managed-fw', Key: 'fw.bin', Body: firmware }));
    const placeholder = `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/managed-fw/fw.bin}`;
    const request = {
      targets: [thingArn('dl-2')],
      jobTemplateArn: DOWNLOAD_FILE,
      documentParameters: { downloadUrl: placeholder, filePath: '/tmp/fw.bin', runAsUser: 'root' },
    };
    // A placeholder needs the role that presigns it.
    await expect(f.iot.send(new CreateJobCommand({ jobId: 'download-2', ...request }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'download-2',
        ...request,
        presignedUrlConfig: { roleArn: 'arn:aws:iam::123456789012:role/iot-download', expiresInSec: 60 },
      }),
    );
    const { action } = (await nextDocument('dl-2')).steps[0]!;
    expect(action.runAsUser).toBe('root');
    const url = action.input.args[0]!;
    expect(url).toMatch(/^http.*managed-fw\/fw\.bin\?.*X-Amz-Signature=/);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(firmware);
  });

  it.each([
    [
      'a value its regex refuses',
      { downloadUrl: 'https://example.com/a', filePath: '/tmp/a', runAsUser: 'u'.repeat(257) },
    ],
    ['a required one missing', { downloadUrl: 'https://example.com/a' }],
    ['a key the template does not take', { downloadUrl: 'https://example.com/a', filePath: '/tmp/a', mode: '0755' }],
  ])('refuses %s (InvalidRequestException), and makes no job', async (_case, documentParameters) => {
    await expect(
      f.iot.send(
        new CreateJobCommand({
          jobId: 'bad-params',
          targets: [thingArn('dl-3')],
          jobTemplateArn: DOWNLOAD_FILE,
          documentParameters,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(f.iot.send(new DescribeJobCommand({ jobId: 'bad-params' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses documentParameters without a managed template, and an unknown managed template', async () => {
    await f.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'own', description: 'own', document: '{"a":1}' }));
    const params = { documentParameters: { filePath: '/tmp/a' }, targets: [thingArn('dl-4')] };
    await expect(
      f.iot.send(new CreateJobCommand({ jobId: 'p-1', ...params, document: '{"a":1}' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      f.iot.send(
        new CreateJobCommand({
          jobId: 'p-2',
          ...params,
          jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/own',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      f.iot.send(
        new CreateJobCommand({
          jobId: 'p-3',
          ...params,
          jobTemplateArn: 'arn:aws:iot:us-east-1::jobtemplate/AWS-Format-Disk:1.0',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
