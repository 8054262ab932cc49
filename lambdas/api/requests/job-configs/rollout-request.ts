import { MAX_RATE_PER_MINUTE, type RolloutConfig } from '../../../jobs/rollout/release-rate';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import {
  type IntegerRule,
  optionalInteger,
  optionalObject,
  requireInteger,
  requireNumber,
  requireObject,
} from '../validation';

/** jobExecutionsRolloutConfig as botocore and AWS's developer guide bound it. */

const RATE_RULE: IntegerRule = { min: 1, max: MAX_RATE_PER_MINUTE };
/** NumberOfThings: at least 1 (botocore gives no upper bound; a safe integer is ours). */
const THINGS_RULE: IntegerRule = { min: 1, max: Number.MAX_SAFE_INTEGER };

export function parseRolloutConfig(value: unknown): RolloutConfig | undefined {
  const field = 'jobExecutionsRolloutConfig';
  const config = optionalObject(field, value);
  if (!config) return undefined;
  const maximumPerMinute = optionalInteger(`${field}.maximumPerMinute`, config.maximumPerMinute, RATE_RULE);
  const exponential = optionalObject(`${field}.exponentialRate`, config.exponentialRate);
  if (!exponential) return maximumPerMinute !== undefined ? { maximumPerMinute } : {};
  const at = `${field}.exponentialRate`;
  const baseRatePerMinute = requireInteger(`${at}.baseRatePerMinute`, exponential.baseRatePerMinute, RATE_RULE);
  const incrementFactor = requireNumber(`${at}.incrementFactor`, exponential.incrementFactor, {
    min: 1.1,
    max: 5,
    decimals: 1,
  });
  const criteria = requireObject(`${at}.rateIncreaseCriteria`, exponential.rateIncreaseCriteria);
  const numberOfNotifiedThings = optionalInteger(
    `${at}.rateIncreaseCriteria.numberOfNotifiedThings`,
    criteria.numberOfNotifiedThings,
    THINGS_RULE,
  );
  const numberOfSucceededThings = optionalInteger(
    `${at}.rateIncreaseCriteria.numberOfSucceededThings`,
    criteria.numberOfSucceededThings,
    THINGS_RULE,
  );
  // AWS's developer guide: set one or the other.
  if ((numberOfNotifiedThings === undefined) === (numberOfSucceededThings === undefined)) {
    throw new InvalidRequestException(
      `${at}.rateIncreaseCriteria: set exactly one of numberOfNotifiedThings and numberOfSucceededThings`,
    );
  }
  // AWS's developer guide: the exponential rate's upper limit, required with it.
  if (maximumPerMinute === undefined)
    throw new InvalidRequestException(
      `${field}.maximumPerMinute: is required with exponentialRate (the rate's upper limit)`,
    );
  if (baseRatePerMinute > maximumPerMinute)
    throw new InvalidRequestException(
      `${at}.baseRatePerMinute: must not be more than maximumPerMinute (${maximumPerMinute})`,
    );
  return {
    maximumPerMinute,
    exponentialRate: {
      baseRatePerMinute,
      incrementFactor,
      rateIncreaseCriteria:
        numberOfNotifiedThings !== undefined
          ? { numberOfNotifiedThings }
          : { numberOfSucceededThings: numberOfSucceededThings! },
    },
  };
}
