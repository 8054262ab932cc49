import type { CreateJobTemplateInput } from '../../jobs/management/job-template';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { PageQuery } from '../../jobs/shared/ports';
import type { RawRequest } from '../http/raw-request';
import { MAX_DOCUMENT_CHARS } from './create-job-request';
import { parseDescription, parseJobConfigs } from './job-configs/job-configs';
import { parsePresignedUrlConfig } from './job-configs/presigned-url-request';
import { parseMaintenanceWindows } from './job-configs/scheduling-request';
import { pageRequest } from './management-requests';
import { optionalString, refuseUnsupported, requireObject, requireString, type StringRule } from './validation';

/** The job template operations' inputs, with botocore's constraints. */

const TEMPLATE_ID_RULE: StringRule = { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '[a-zA-Z0-9_-]+' };

export const parseJobTemplateId = (raw: RawRequest): { jobTemplateId: string } => ({
  jobTemplateId: requireString('jobTemplateId', raw.path.jobTemplateId, TEMPLATE_ID_RULE),
});

export const parseListJobTemplates = (raw: RawRequest): PageQuery => pageRequest(raw);

export function parseCreateJobTemplate(raw: RawRequest): CreateJobTemplateInput {
  const { jobTemplateId } = parseJobTemplateId(raw);
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['destinationPackageVersions', 'tags']);
  if (body.description === undefined || body.description === null)
    throw new InvalidRequestException('description: is required');
  const description = parseDescription(body.description)!;
  const document = optionalString('document', body.document, { min: 1, max: MAX_DOCUMENT_CHARS });
  const documentSource = optionalString('documentSource', body.documentSource, { min: 1, max: 1350 });
  const jobArn = optionalString('jobArn', body.jobArn, { min: 1, max: 2048 });
  if ([document, documentSource, jobArn].filter((given) => given !== undefined).length !== 1)
    throw new InvalidRequestException(
      'document, documentSource, jobArn: give exactly one (the document, its S3 URL, or the job to take it from)',
    );
  const configs = parseJobConfigs(body);
  const presignedUrlConfig = parsePresignedUrlConfig(body.presignedUrlConfig);
  // The windows a job of the template releases in, checked as a schedule's are.
  const windows = parseMaintenanceWindows('maintenanceWindows', body.maintenanceWindows);
  return {
    jobTemplateId,
    description,
    ...(document !== undefined ? { document } : {}),
    ...(documentSource !== undefined ? { documentSource } : {}),
    ...(jobArn !== undefined ? { jobArn } : {}),
    ...configs,
    ...(presignedUrlConfig ? { presignedUrlConfig } : {}),
    ...(windows ? { maintenanceWindows: windows } : {}),
  };
}

/** A managed template's name (botocore: 1 to 64 characters) and version (`^[1-9]+.[0-9]+`). */
const MANAGED_NAME_RULE: StringRule = { min: 1, max: 64 };
const MANAGED_VERSION_RULE: StringRule = { min: 1, max: 64, pattern: /^[1-9]+.[0-9]+/, patternText: '1.0' };

export function parseListManagedJobTemplates(raw: RawRequest): PageQuery & { templateName?: string } {
  const templateName = optionalString('templateName', raw.query.templateName, MANAGED_NAME_RULE);
  return { ...pageRequest(raw), ...(templateName !== undefined ? { templateName } : {}) };
}

export function parseDescribeManagedJobTemplate(raw: RawRequest): { templateName: string; templateVersion?: string } {
  const templateName = requireString('templateName', raw.path.templateName, MANAGED_NAME_RULE);
  const templateVersion = optionalString('templateVersion', raw.query.templateVersion, MANAGED_VERSION_RULE);
  return { templateName, ...(templateVersion !== undefined ? { templateVersion } : {}) };
}
