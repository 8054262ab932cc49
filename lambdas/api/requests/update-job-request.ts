import type { UpdateJobInput } from '../../jobs/management/inputs';
import type { RawRequest } from '../http/raw-request';
import { parseDescription, parseJobConfigs } from './job-configs/job-configs';
import { refuseUnsupported, requireObject, validateJobId } from './validation';

/** UpdateJob's input (PATCH /jobs/{jobId}): the same field rules as CreateJob's. */
export function parseUpdateJob(raw: RawRequest): UpdateJobInput {
  const jobId = validateJobId(raw.path.jobId);
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['presignedUrlConfig']);
  // namespaceId travels in the query string (botocore); jobs of a namespace are not supported.
  refuseUnsupported(raw.query, ['namespaceId']);
  const description = parseDescription(body.description);
  return {
    jobId,
    ...(description !== undefined ? { description } : {}),
    ...parseJobConfigs(body),
  };
}
