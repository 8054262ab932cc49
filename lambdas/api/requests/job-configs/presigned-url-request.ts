import type { PresignedUrlConfig } from '../../../jobs/documents/presigned-urls';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import { optionalInteger, optionalObject, requireString } from '../validation';

/** An IAM role's ARN, as IAM writes it (paths allowed). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * CreateJob's and CreateJobTemplate's presignedUrlConfig: botocore's bounds (roleArn 20 to 2048 characters,
 * expiresInSec 60 to 3600); the role is required here, since nothing could presign without it.
 */
export function parsePresignedUrlConfig(value: unknown): PresignedUrlConfig | undefined {
  const config = optionalObject('presignedUrlConfig', value);
  if (!config) return undefined;
  if (config.roleArn === undefined || config.roleArn === null)
    throw new InvalidRequestException(
      'presignedUrlConfig.roleArn: is required (the role whose credentials sign the URLs)',
    );
  const roleArn = requireString('presignedUrlConfig.roleArn', config.roleArn, {
    min: 20,
    max: 2048,
    pattern: ROLE_ARN,
    patternText: 'arn:aws:iam::ACCOUNT:role/NAME',
  });
  const expiresInSec = optionalInteger('presignedUrlConfig.expiresInSec', config.expiresInSec, { min: 60, max: 3600 });
  return { roleArn, ...(expiresInSec !== undefined ? { expiresInSec } : {}) };
}
