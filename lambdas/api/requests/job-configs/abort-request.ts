import { ABORT_ACTIONS, type AbortConfig, FAILURE_TYPES } from '../../../jobs/rollout/abort';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import { optionalObject, requireInteger, requireNumber, requireObject, requireOneOf } from '../validation';

/** abortConfig as botocore bounds it. */

/**
 * Criteria per job: botocore sets no bound; ours keeps the job item small (one per failure type, twice over, is
 * plenty).
 */
export const MAX_ABORT_CRITERIA = 8;

export function parseAbortConfig(value: unknown): AbortConfig | undefined {
  const config = optionalObject('abortConfig', value);
  if (!config) return undefined;
  const list = config.criteriaList;
  if (!Array.isArray(list) || list.length === 0)
    throw new InvalidRequestException('abortConfig.criteriaList: must be a list of at least one criterion');
  if (list.length > MAX_ABORT_CRITERIA)
    throw new InvalidRequestException(`abortConfig.criteriaList: at most ${MAX_ABORT_CRITERIA} criteria`);
  return {
    criteriaList: list.map((entry: unknown, i: number) => {
      const at = `abortConfig.criteriaList[${i}]`;
      const criterion = requireObject(at, entry);
      return {
        failureType: requireOneOf(`${at}.failureType`, criterion.failureType, FAILURE_TYPES),
        action: requireOneOf(`${at}.action`, criterion.action, ABORT_ACTIONS),
        thresholdPercentage: requireNumber(`${at}.thresholdPercentage`, criterion.thresholdPercentage, {
          min: 0,
          max: 100,
          decimals: 2,
        }),
        minNumberOfExecutedThings: requireInteger(
          `${at}.minNumberOfExecutedThings`,
          criterion.minNumberOfExecutedThings,
          { min: 1, max: Number.MAX_SAFE_INTEGER },
        ),
      };
    }),
  };
}
