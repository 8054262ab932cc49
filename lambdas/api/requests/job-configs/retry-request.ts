import { MAX_RETRIES, RETRYABLE_FAILURE_TYPES, type RetryConfig } from '../../../jobs/rollout/retry';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import { optionalObject, requireInteger, requireObject, requireOneOf } from '../validation';

/** jobExecutionsRetryConfig as botocore bounds it: one or two criteria, 0-10 retries each. */
export function parseRetryConfig(value: unknown): RetryConfig | undefined {
  const config = optionalObject('jobExecutionsRetryConfig', value);
  if (!config) return undefined;
  const list = config.criteriaList;
  if (!Array.isArray(list) || list.length < 1 || list.length > 2)
    throw new InvalidRequestException('jobExecutionsRetryConfig.criteriaList: must be a list of one or two criteria');
  const criteriaList = list.map((entry: unknown, i: number) => {
    const at = `jobExecutionsRetryConfig.criteriaList[${i}]`;
    const criterion = requireObject(at, entry);
    return {
      failureType: requireOneOf(`${at}.failureType`, criterion.failureType, RETRYABLE_FAILURE_TYPES),
      numberOfRetries: requireInteger(`${at}.numberOfRetries`, criterion.numberOfRetries, { min: 0, max: MAX_RETRIES }),
    };
  });
  // Our choice: each failure is retried under one budget, so two criteria are FAILED and TIMED_OUT, and ALL stands
  // alone.
  const [first, second] = criteriaList;
  if (
    second &&
    (first!.failureType === second.failureType || first!.failureType === 'ALL' || second.failureType === 'ALL')
  ) {
    throw new InvalidRequestException(
      'jobExecutionsRetryConfig.criteriaList: two criteria must be one FAILED and one TIMED_OUT ' +
        '(ALL covers both alone)',
    );
  }
  return { criteriaList };
}
