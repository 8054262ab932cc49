/**
 * A job's rollout rate (CreateJob's jobExecutionsRolloutConfig): how many
 * things get their execution per minute. A thing's execution is written (the
 * thing "notified", in AWS's words) only when the rate lets it be released;
 * until then it does not exist for the device API, and no count shows it.
 *
 * Minutes are windows of 60 s of service time. A window opens at the first
 * release after the previous one closed, and everything its rate allows is
 * released at its opening (as fast as the fan-out writes), so two windows'
 * releases are always at least a minute apart. The rate of an exponential
 * rollout grows only when a window opens, by one step per window whose
 * opening finds its criterion met again since the last step.
 */

export interface RateIncreaseCriteria {
  numberOfNotifiedThings?: number;
  numberOfSucceededThings?: number;
}

export interface ExponentialRate {
  baseRatePerMinute: number;
  incrementFactor: number;
  rateIncreaseCriteria: RateIncreaseCriteria;
}

/** As CreateJob takes it (and DescribeJob shows it). */
export interface RolloutConfig {
  maximumPerMinute?: number;
  exponentialRate?: ExponentialRate;
}

/** AWS's rate when maximumPerMinute is left out, and its largest. */
export const MAX_RATE_PER_MINUTE = 1000;

export const WINDOW_MS = 60_000;

/** Where a job's rollout stands, kept on its work record and written with each page it releases. */
export interface RolloutState {
  /** The current window's opening (service time, ms); absent before the first release. */
  windowStart?: number;
  releasedInWindow: number;
  /** Things released per window now. */
  rate: number;
  /** Things released in all. */
  released: number;
  /** The figures at the rate's last step (or at the start): a criterion counts from here. */
  stepAt: { notified: number; succeeded: number };
}

export function initialRollout(config: RolloutConfig): RolloutState {
  return {
    releasedInWindow: 0,
    rate: config.exponentialRate?.baseRatePerMinute ?? config.maximumPerMinute ?? MAX_RATE_PER_MINUTE,
    released: 0,
    stepAt: { notified: 0, succeeded: 0 },
  };
}

/** The rate after one step: multiplied by the factor (at least one more thing a minute), never past the maximum. */
export function nextRate(config: RolloutConfig, rate: number): number {
  const factor = config.exponentialRate?.incrementFactor ?? 1;
  const cap = config.maximumPerMinute ?? MAX_RATE_PER_MINUTE;
  return Math.min(cap, Math.max(rate + 1, Math.floor(rate * factor)));
}

/** The criterion of an exponential rollout met since its last step. */
function criterionMet(config: RolloutConfig, state: RolloutState, succeeded: number): boolean {
  const criteria = config.exponentialRate?.rateIncreaseCriteria;
  if (!criteria) return false;
  const notifiedSince = state.released - state.stepAt.notified;
  const succeededSince = succeeded - state.stepAt.succeeded;
  return (
    (criteria.numberOfNotifiedThings !== undefined && notifiedSince >= criteria.numberOfNotifiedThings) ||
    (criteria.numberOfSucceededThings !== undefined && succeededSince >= criteria.numberOfSucceededThings)
  );
}

export interface ReleaseAllowance {
  /** The state with the window as it stands at `now` (a new one opened if the last has closed). */
  state: RolloutState;
  /** Things that may be released now. */
  allowed: number;
  /** When the next window can open (service time, ms). */
  nextWindowAt: number;
}

/** What may be released at `now`, given the things that have succeeded so far (for a criterion on succeeded things). */
export function allowanceAt(
  config: RolloutConfig,
  current: RolloutState,
  now: number,
  succeeded: number,
): ReleaseAllowance {
  let state = current;
  if (state.windowStart === undefined || now >= state.windowStart + WINDOW_MS) {
    const stepped = state.windowStart !== undefined && criterionMet(config, state, succeeded);
    state = {
      ...state,
      windowStart: now,
      releasedInWindow: 0,
      ...(stepped ? { rate: nextRate(config, state.rate), stepAt: { notified: state.released, succeeded } } : {}),
    };
  }
  return {
    state,
    allowed: Math.max(0, state.rate - state.releasedInWindow),
    nextWindowAt: state.windowStart! + WINDOW_MS,
  };
}

/** The state after `count` more things released in the current window. */
export const afterRelease = (state: RolloutState, count: number): RolloutState => ({
  ...state,
  releasedInWindow: state.releasedInWindow + count,
  released: state.released + count,
});

/**
 * The state after UpdateJob gave the rollout a new config: the current
 * window and what it released stay (a faster rate lets it release the
 * difference now; a slower one, nothing more until the next window), the
 * rate starts again from the new config's, and an exponential criterion
 * counts from the update.
 */
export function retunedRollout(
  config: RolloutConfig,
  current: RolloutState | undefined,
  succeeded: number,
): RolloutState {
  const start = initialRollout(config);
  if (!current) return start;
  return { ...current, rate: start.rate, stepAt: { notified: current.released, succeeded } };
}
