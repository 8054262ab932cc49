import type { JobRecord } from '../../../jobs/management/job';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import { FREE_TEXT_PATTERN, type IntegerRule, optionalInteger, optionalObject, optionalString } from '../validation';
import { parseAbortConfig } from './abort-request';
import { parseRetryConfig } from './retry-request';
import { parseRolloutConfig } from './rollout-request';

export const MAX_DESCRIPTION_CHARS = 2028;
const IN_PROGRESS_TIMEOUT_RULE: IntegerRule = { min: 1, max: 10080 };

/** A job's (or template's) description: up to 2,028 characters, none of them control characters. */
export function parseDescription(value: unknown, rule = { min: 0, max: MAX_DESCRIPTION_CHARS }): string | undefined {
  const description = optionalString('description', value, rule);
  if (description && !FREE_TEXT_PATTERN.test(description))
    throw new InvalidRequestException('description: must not contain control characters');
  return description;
}

/** timeoutConfig: an in-progress timeout of 1 minute to 7 days. */
export function parseTimeoutConfig(value: unknown): { inProgressTimeoutInMinutes: number } | undefined {
  const timeout = optionalObject('timeoutConfig', value);
  const inProgressTimeoutInMinutes = optionalInteger(
    'timeoutConfig.inProgressTimeoutInMinutes',
    timeout?.inProgressTimeoutInMinutes,
    IN_PROGRESS_TIMEOUT_RULE,
  );
  return inProgressTimeoutInMinutes !== undefined ? { inProgressTimeoutInMinutes } : undefined;
}

export type JobConfigs = Pick<
  JobRecord,
  'timeoutConfig' | 'jobExecutionsRolloutConfig' | 'abortConfig' | 'jobExecutionsRetryConfig'
>;

/** The configs CreateJob, UpdateJob and CreateJobTemplate share, each given only if the body has it. */
export function parseJobConfigs(body: Record<string, unknown>): JobConfigs {
  const timeoutConfig = parseTimeoutConfig(body.timeoutConfig);
  const rollout = parseRolloutConfig(body.jobExecutionsRolloutConfig);
  const abortConfig = parseAbortConfig(body.abortConfig);
  const retryConfig = parseRetryConfig(body.jobExecutionsRetryConfig);
  return {
    ...(timeoutConfig ? { timeoutConfig } : {}),
    ...(rollout ? { jobExecutionsRolloutConfig: rollout } : {}),
    ...(abortConfig ? { abortConfig } : {}),
    ...(retryConfig ? { jobExecutionsRetryConfig: retryConfig } : {}),
  };
}
