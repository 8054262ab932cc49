import { checkDocumentParameters, substituteDocumentParameters } from '../documents/document-parameters';
import type { ManagedJobTemplate } from '../documents/managed-templates';
import type { PresignedUrlConfig } from '../documents/presigned-urls';
import type { AbortConfig } from '../rollout/abort';
import type { RolloutConfig } from '../rollout/release-rate';
import type { RetryConfig } from '../rollout/retry';
import type { MaintenanceWindow } from '../rollout/schedule';
import { toFractionalSeconds } from '../shared/clock';
import type { CreateJobInput, JobRecord } from './job';

/** A job template (CreateJobTemplate): a document and the configs a job made from it starts with. */
export interface JobTemplateRecord {
  jobTemplateId: string;
  jobTemplateArn: string;
  description: string;
  document: string;
  /** The S3 URL the document was read from when the template was created. */
  documentSource?: string;
  createdAt: number;
  timeoutConfig?: JobRecord['timeoutConfig'];
  jobExecutionsRolloutConfig?: RolloutConfig;
  abortConfig?: AbortConfig;
  jobExecutionsRetryConfig?: RetryConfig;
  maintenanceWindows?: MaintenanceWindow[];
  presignedUrlConfig?: PresignedUrlConfig;
}

export interface CreateJobTemplateInput {
  jobTemplateId: string;
  description: string;
  /** The document, or the job (by ARN) whose document and configs the template takes. */
  document?: string;
  /** Or its S3 URL, read when the template is created. */
  documentSource?: string;
  jobArn?: string;
  timeoutConfig?: JobRecord['timeoutConfig'];
  jobExecutionsRolloutConfig?: RolloutConfig;
  abortConfig?: AbortConfig;
  jobExecutionsRetryConfig?: RetryConfig;
  maintenanceWindows?: MaintenanceWindow[];
  presignedUrlConfig?: PresignedUrlConfig;
}

/** The configs a template carries for the jobs made of it (besides its maintenance windows). */
export const TEMPLATE_CONFIGS = [
  'timeoutConfig',
  'jobExecutionsRolloutConfig',
  'abortConfig',
  'jobExecutionsRetryConfig',
  'presignedUrlConfig',
] as const;

/**
 * A job made from a template: the template's document and configs, each
 * replaced by the request's own where it gives one (AWS); the template's
 * maintenance windows unless the request schedules its own.
 */
export function fromTemplate(input: CreateJobInput, template: JobTemplateRecord): CreateJobInput {
  const merged: CreateJobInput = {
    ...input,
    document: template.document,
    ...(template.documentSource !== undefined ? { documentSource: template.documentSource } : {}),
    jobTemplateArn: template.jobTemplateArn,
  };
  for (const config of TEMPLATE_CONFIGS) {
    const own = input[config] ?? template[config];
    if (own !== undefined) (merged as unknown as Record<string, unknown>)[config] = own;
  }
  if (input.description === undefined && template.description) merged.description = template.description;
  if (template.maintenanceWindows?.length && !input.schedulingConfig?.maintenanceWindows) {
    merged.schedulingConfig = { ...input.schedulingConfig, maintenanceWindows: template.maintenanceWindows };
  }
  return merged;
}

/**
 * A job made from an AWS managed template: its document with the request's documentParameters in place (checked by
 * the template's rules), its description unless the request gives one; the configs are the request's own (a managed
 * template has none).
 */
export function fromManagedTemplate(
  input: CreateJobInput,
  managed: { template: ManagedJobTemplate; templateArn: string },
): CreateJobInput {
  const given = input.documentParameters ?? {};
  checkDocumentParameters(managed.template, given);
  return {
    ...input,
    document: substituteDocumentParameters(managed.template.document, given),
    jobTemplateArn: managed.templateArn,
    description: input.description ?? managed.template.description,
  };
}

export const toJobTemplateView = (template: JobTemplateRecord) => ({
  jobTemplateArn: template.jobTemplateArn,
  jobTemplateId: template.jobTemplateId,
  description: template.description,
  ...(template.documentSource !== undefined ? { documentSource: template.documentSource } : {}),
  document: template.document,
  createdAt: toFractionalSeconds(template.createdAt),
  ...Object.fromEntries(
    [...TEMPLATE_CONFIGS, 'maintenanceWindows' as const]
      .filter((c) => template[c] !== undefined)
      .map((c) => [c, template[c]]),
  ),
});

export const toJobTemplateSummary = (
  template: Pick<JobTemplateRecord, 'jobTemplateArn' | 'jobTemplateId' | 'description' | 'createdAt'>,
) => ({
  jobTemplateArn: template.jobTemplateArn,
  jobTemplateId: template.jobTemplateId,
  description: template.description,
  createdAt: toFractionalSeconds(template.createdAt),
});
