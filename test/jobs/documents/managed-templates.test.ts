import { describe, expect, it } from 'vitest';
import {
  checkDocumentParameters,
  substituteDocumentParameters,
} from '../../../lambdas/jobs/documents/document-parameters';
import { managedTemplateOfArn } from '../../../lambdas/jobs/documents/managed-job-templates';
import { MANAGED_JOB_TEMPLATES } from '../../../lambdas/jobs/documents/managed-templates';
import { InvalidRequestException, ResourceNotFoundException } from '../../../lambdas/jobs/shared/errors';

const ctx = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const downloadFile = MANAGED_JOB_TEMPLATES.find((t) => t.templateName === 'AWS-Download-File')!;

describe('managed template ARNs', () => {
  it('names the default version when the ARN gives none, and answers with the versioned ARN', () => {
    expect(managedTemplateOfArn(ctx, 'arn:aws:iot:eu-west-1::jobtemplate/AWS-Reboot')?.templateArn).toBe(
      'arn:aws:iot:eu-west-1::jobtemplate/AWS-Reboot:1.0',
    );
  });

  it("leaves an account's own template ARN to the deployment's templates, and finds nothing of another region", () => {
    expect(managedTemplateOfArn(ctx, 'arn:aws:iot:eu-west-1:123456789012:jobtemplate/AWS-Reboot')).toBeUndefined();
    expect(() => managedTemplateOfArn(ctx, 'arn:aws:iot:us-east-1::jobtemplate/AWS-Reboot:1.0')).toThrow(
      ResourceNotFoundException,
    );
  });
});

describe('documentParameters', () => {
  it('checks each value against the whole of its regex', () => {
    const base = { downloadUrl: 'https://example.com/f', filePath: '/tmp/f' };
    expect(() => checkDocumentParameters(downloadFile, { ...base, runAsUser: 'u'.repeat(256) })).not.toThrow();
    expect(() => checkDocumentParameters(downloadFile, { ...base, runAsUser: 'u'.repeat(257) })).toThrow(
      InvalidRequestException,
    );
  });

  it('puts each value in as JSON string content, and an optional one not given as nothing', () => {
    const document = substituteDocumentParameters(downloadFile.document, {
      downloadUrl: 'https://example.com/a\\b"c',
      filePath: '/tmp/f',
    });
    expect(JSON.parse(document).steps[0].action).toMatchObject({
      input: { args: ['https://example.com/a\\b"c', '/tmp/f'], path: '' },
      runAsUser: '',
    });
  });
});
