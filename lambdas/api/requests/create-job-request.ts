import { type CreateJobInput, TARGET_SELECTIONS } from '../../jobs/management/job';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { parseDescription, parseJobConfigs } from './job-configs/job-configs';
import { parsePresignedUrlConfig } from './job-configs/presigned-url-request';
import { parseSchedulingConfig } from './job-configs/scheduling-request';
import { originOf } from './management-requests';
import {
  FREE_TEXT_PATTERN,
  optionalString,
  refuseUnsupported,
  requireObject,
  requireOneOf,
  requireString,
  THING_NAME_RULE,
  validateJobId,
} from './validation';

/** CreateJob's input, with botocore's constraints and the members this service does not implement refused by name. */

export const MAX_DOCUMENT_CHARS = 32768;
/**
 * Until the asynchronous fan-out lands, one CreateJob writes all executions itself; this keeps it well inside a
 * Lambda's time.
 */
export const MAX_TARGETS = 1000;

const TARGET_ARN = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/(.+)$/;

/** Members of AWS's CreateJob that change what a job does and that this service does not implement yet. */
const UNSUPPORTED_MEMBERS = ['namespaceId', 'destinationPackageVersions'] as const;

/** botocore's ParameterMap: keys `[a-zA-Z0-9_-]+` of 1 to 128 characters, values of 1 to 30720 free-text characters. */
function parseDocumentParameters(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const map = requireObject('documentParameters', value);
  const parameters: Record<string, string> = {};
  for (const [key, given] of Object.entries(map)) {
    requireString('documentParameters key', key, {
      min: 1,
      max: 128,
      pattern: /^[a-zA-Z0-9_-]+$/,
      patternText: '[a-zA-Z0-9_-]+',
    });
    parameters[key] = requireString(`documentParameters.${key}`, given, {
      min: 1,
      max: 30720,
      pattern: FREE_TEXT_PATTERN,
      patternText: 'no control characters',
    });
  }
  return parameters;
}

/** A target: a thing or a thing group, by its ARN. */
export function targetOfArn(field: string, arn: unknown): { kind: 'thing' | 'thinggroup'; name: string } {
  const text = requireString(field, arn, { min: 1, max: 2048 });
  const match = TARGET_ARN.exec(text);
  if (!match)
    throw new InvalidRequestException(
      `${field}: must be a thing or thing group ARN, arn:aws:iot:REGION:ACCOUNT:thing/NAME or ...:thinggroup/NAME`,
    );
  return { kind: match[3] as 'thing' | 'thinggroup', name: requireString(`${field} name`, match[4], THING_NAME_RULE) };
}

export function parseCreateJob(raw: RawRequest): CreateJobInput {
  const jobId = validateJobId(raw.path.jobId);
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, UNSUPPORTED_MEMBERS);
  const targetSelection =
    body.targetSelection === undefined
      ? 'SNAPSHOT'
      : requireOneOf('targetSelection', body.targetSelection, TARGET_SELECTIONS);
  if (!Array.isArray(body.targets) || body.targets.length === 0)
    throw new InvalidRequestException('targets: must be a list of at least one thing or thing group ARN');
  if (body.targets.length > MAX_TARGETS)
    throw new InvalidRequestException(`targets: at most ${MAX_TARGETS} targets per job`);
  const targets: string[] = [];
  const thingNames = new Set<string>();
  const groupNames = new Set<string>();
  body.targets.forEach((arn: unknown, index: number) => {
    const target = targetOfArn(`targets[${index}]`, arn);
    const names = target.kind === 'thing' ? thingNames : groupNames;
    if (names.has(target.name)) return;
    names.add(target.name);
    targets.push(arn as string);
  });
  const jobTemplateArn = optionalString('jobTemplateArn', body.jobTemplateArn, {
    min: 1,
    max: 1600,
    pattern: /^arn:[!-~]+$/,
    patternText: 'arn:...',
  });
  const documentSource = optionalString('documentSource', body.documentSource, { min: 1, max: 1350 });
  const given = body.document !== undefined && body.document !== null;
  // From a template, the document is the template's (AWS); from S3, it is read when the job is created.
  if (jobTemplateArn !== undefined && given)
    throw new InvalidRequestException('document: give the document or a jobTemplateArn, not both');
  if (jobTemplateArn !== undefined && documentSource !== undefined)
    throw new InvalidRequestException("documentSource: give the document's S3 URL or a jobTemplateArn, not both");
  if (given && documentSource !== undefined)
    throw new InvalidRequestException('document, documentSource: give the document or its S3 URL, not both');
  const document =
    jobTemplateArn !== undefined || documentSource !== undefined
      ? ''
      : requireString('document', body.document, { min: 1, max: MAX_DOCUMENT_CHARS });
  const documentParameters = parseDocumentParameters(body.documentParameters);
  if (documentParameters !== undefined && jobTemplateArn === undefined)
    throw new InvalidRequestException('documentParameters: only with the jobTemplateArn of an AWS managed template');
  const description = parseDescription(body.description);
  const configs = parseJobConfigs(body);
  const presignedUrlConfig = parsePresignedUrlConfig(body.presignedUrlConfig);
  const schedulingConfig = parseSchedulingConfig(body.schedulingConfig);
  return {
    jobId,
    targets,
    thingNames: [...thingNames],
    groupNames: [...groupNames],
    targetSelection,
    document,
    ...(documentSource !== undefined ? { documentSource } : {}),
    ...(description !== undefined ? { description } : {}),
    ...configs,
    ...(presignedUrlConfig ? { presignedUrlConfig } : {}),
    ...(schedulingConfig ? { schedulingConfig } : {}),
    ...(jobTemplateArn !== undefined ? { jobTemplateArn } : {}),
    ...(documentParameters !== undefined ? { documentParameters } : {}),
    origin: originOf(raw),
  };
}
