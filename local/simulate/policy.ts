import { readFile } from 'node:fs/promises';

/**
 * A simulation's input: the rollout policy under test (the job's configs, as
 * CreateJob takes them) and the fleet it meets.
 */
export interface SimulationInput {
  /** What the policy is called in the chart and table. */
  name: string;
  fleet: {
    /** Things targeted. */
    size: number;
    /** Share of attempts a device reports FAILED (0-1). */
    failureRate: number;
    /** Share of attempts a device starts and then never reports (0-1): they time out if the job has a timeout. */
    silentRate?: number;
    /** Minutes from a device's start to its report: [fewest, most], drawn evenly. */
    minutesToFinish: [number, number];
    /** Seed of the devices' draws: the same seed, the same run. */
    seed?: number;
  };
  /**
   * CreateJob's members for the policy: jobExecutionsRolloutConfig, abortConfig, jobExecutionsRetryConfig,
   * timeoutConfig, schedulingConfig.
   */
  job: Record<string, unknown>;
  /** Simulated minutes at most (the run ends sooner when the job does). */
  minutes: number;
}

const fail = (message: string): never => {
  throw new Error(`simulation input: ${message}`);
};

export function checkInput(raw: unknown): SimulationInput {
  const input = raw as SimulationInput;
  if (typeof input !== 'object' || input === null) fail('must be a JSON object');
  if (typeof input.name !== 'string' || !input.name) fail('name: must be a text');
  const f = input.fleet;
  if (!f || !Number.isInteger(f.size) || f.size < 1 || f.size > 10_000)
    fail('fleet.size: must be an integer from 1 to 10,000');
  for (const [field, value] of [
    ['failureRate', f.failureRate],
    ['silentRate', f.silentRate ?? 0],
  ] as const) {
    if (typeof value !== 'number' || value < 0 || value > 1) fail(`fleet.${field}: must be a number from 0 to 1`);
  }
  const [least, most] = f.minutesToFinish ?? [];
  if (!Number.isInteger(least) || !Number.isInteger(most) || least! < 0 || most! < least!)
    fail('fleet.minutesToFinish: must be [fewest, most] whole minutes');
  if (typeof input.job !== 'object' || input.job === null) fail('job: must be an object of CreateJob members');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 24 * 60)
    fail('minutes: must be an integer from 1 to 1,440');
  return input;
}

export async function readInput(path: string): Promise<SimulationInput> {
  return checkInput(JSON.parse(await readFile(path, 'utf8')));
}
