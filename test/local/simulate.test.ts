import { describe, expect, it } from 'vitest';
import { drawSimulation } from '../../local/simulate/chart';
import { attemptOf } from '../../local/simulate/devices';
import { checkInput, type SimulationInput } from '../../local/simulate/policy';
import { simulationTable } from '../../local/simulate/report';
import { simulate } from '../../local/simulate/simulation';

/** `npm run simulate`: a policy run against a simulated fleet on a local service of its own, drawn and tabled. */
const input: SimulationInput = {
  name: 'tiny',
  fleet: { size: 30, failureRate: 0.6, minutesToFinish: [0, 1], seed: 3 },
  job: {
    jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
    abortConfig: {
      criteriaList: [
        { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 30, minNumberOfExecutedThings: 6 },
      ],
    },
    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
  },
  minutes: 10,
};

describe('the rollout simulator', () => {
  it('runs the policy minute by minute: at most the rate released a minute, retries, and the abort where the figures trip it, the same every run', async () => {
    const result = await simulate(input);
    const perMinute = result.rows.map((row, i) => row.released - (result.rows[i - 1]?.released ?? 0));
    expect(Math.max(...perMinute)).toBeLessThanOrEqual(10);
    expect(result.events.some((e) => e.kind === 'retries')).toBe(true);
    const abort = result.events.find((e) => e.kind === 'abort');
    expect(abort?.text).toMatch(
      /^Aborted by abortConfig criterion 1 \(FAILED at 30% after 6 executed things\): \d+ of \d+ executed things FAILED/,
    );
    // The minute of the abort is the first whose figures meet the criterion.
    const tripped = result.rows.find((r) => r.status === 'CANCELED')!;
    expect(tripped.minute).toBe(abort!.minute);
    expect(result.rows.filter((r) => r.minute < tripped.minute).every((r) => r.status === 'IN_PROGRESS')).toBe(true);

    const svg = drawSimulation(result);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const series of ['released', 'succeeded', 'failed', 'timedOut', 'canceled'])
      expect(svg).toContain(`data-series="${series}"`);
    expect(svg).toContain('data-event="abort"');
    expect(svg).toContain('data-event="retries"');
    const table = simulationTable(result);
    expect(table.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(result.rows.length);
    expect(table).toContain(`- minute ${abort!.minute}: abort: Aborted by abortConfig`);

    // The same input again: the same table and chart, whatever the machine's load did to the first run's timing.
    const again = await simulate(input);
    expect(simulationTable(again)).toBe(table);
    expect(drawSimulation(again)).toBe(svg);
  }, 240_000);

  it('draws the same devices for the same seed, and follows the rates on average', () => {
    const fleet = { failureRate: 0.25, silentRate: 0.1, minutesToFinish: [2, 5] as [number, number] };
    expect(attemptOf(7, 12, 1, fleet)).toEqual(attemptOf(7, 12, 1, fleet));
    const draws = Array.from({ length: 4000 }, (_, i) => attemptOf(7, i, 1, fleet));
    const share = (outcome: string) => draws.filter((d) => d.outcome === outcome).length / draws.length;
    expect(share('FAILED')).toBeGreaterThan(0.22);
    expect(share('FAILED')).toBeLessThan(0.28);
    expect(share('SILENT')).toBeGreaterThan(0.08);
    expect(share('SILENT')).toBeLessThan(0.12);
    expect(new Set(draws.map((d) => d.minutes))).toEqual(new Set([2, 3, 4, 5]));
  });

  it.each([
    [{ ...input, fleet: { ...input.fleet, size: 0 } }, 'fleet.size: must be an integer from 1 to 10,000'],
    [{ ...input, fleet: { ...input.fleet, failureRate: 1.5 } }, 'fleet.failureRate: must be a number from 0 to 1'],
    [
      { ...input, fleet: { ...input.fleet, minutesToFinish: [3, 1] } },
      'fleet.minutesToFinish: must be [fewest, most] whole minutes',
    ],
    [{ ...input, minutes: 0 }, 'minutes: must be an integer from 1 to 1,440'],
    [{ ...input, job: 'fast' }, 'job: must be an object of CreateJob members'],
  ])('refuses a bad input, naming the field', (bad, message) => {
    expect(() => checkInput(bad)).toThrow(message);
  });
});
