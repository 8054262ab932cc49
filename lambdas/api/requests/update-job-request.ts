import type { UpdateJobInput } from '../../jobs/management/inputs';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { parseAbortConfig } from './job-configs/abort-request';
import { MAX_DESCRIPTION_CHARS, parseTimeoutConfig } from './create-job-request';
import { parseRetryConfig } from './job-configs/retry-request';
import { parseRolloutConfig } from './job-configs/rollout-request';
import { FREE_TEXT_PATTERN, optionalString, refuseUnsupported, requireObject, validateJobId } from './validation';

/** UpdateJob's input (PATCH /jobs/{jobId}): the same field rules as CreateJob's. */
export function parseUpdateJob(raw: RawRequest): UpdateJobInput {
  const jobId = validateJobId(raw.path.jobId);
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['presignedUrlConfig']);
  // namespaceId travels in the query string (botocore); jobs of a namespace are not supported.
  refuseUnsupported(raw.query, ['namespaceId']);
  const description = optionalString('description', body.description, { min: 0, max: MAX_DESCRIPTION_CHARS });
  if (description && !FREE_TEXT_PATTERN.test(description)) throw new InvalidRequestException('description: must not contain control characters');
  const timeoutConfig = parseTimeoutConfig(body.timeoutConfig);
  const rollout = parseRolloutConfig(body.jobExecutionsRolloutConfig);
  const abortConfig = parseAbortConfig(body.abortConfig);
  const retryConfig = parseRetryConfig(body.jobExecutionsRetryConfig);
  return {
    jobId,
    ...(description !== undefined ? { description } : {}),
    ...(timeoutConfig ? { timeoutConfig } : {}),
    ...(rollout ? { jobExecutionsRolloutConfig: rollout } : {}),
    ...(abortConfig ? { abortConfig } : {}),
    ...(retryConfig ? { jobExecutionsRetryConfig: retryConfig } : {}),
  };
}
