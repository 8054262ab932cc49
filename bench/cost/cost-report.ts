import { executionCost, executionUnits, type MeasuredFanOut, type MeasuredRequests, ROLLOUT, TRICKLE } from './cost';
import { type CostLine, iotJobsMonthlyCost, total } from './cost-prices';
import { idleMonthCost } from './idle-cost';

/**
 * The cost tables, per million executions and per idle month, from a bench
 * run's results, in markdown (`npm run cost`).
 */
export function costReport(bench: MeasuredRequests, fanOut: MeasuredFanOut): string {
  const perMillion = (lines: CostLine[]) => lines.map((line) => ({ ...line, dollars: line.dollars * 1e6 }));
  const rollout = perMillion(executionCost(executionUnits(bench, fanOut, ROLLOUT)));
  const trickle = perMillion(executionCost(executionUnits(bench, fanOut, TRICKLE)));
  const idle = idleMonthCost();
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return [
    '| Per million executions | Rollout | One at a time |',
    '|---|---:|---:|',
    ...rollout.map((line, n) => `| ${line.item} | ${usd(line.dollars)} | ${usd(trickle[n]!.dollars)} |`),
    `| **Total** | **${usd(total(rollout))}** | **${usd(total(trickle))}** |`,
    `| AWS IoT Jobs, a million in one month | ${usd(iotJobsMonthlyCost(1e6))} | ${usd(iotJobsMonthlyCost(1e6))} |`,
    '',
    '| Idle month | |',
    '|---|---:|',
    ...idle.map((line) => `| ${line.item} | ${usd(line.dollars)} |`),
    `| **Total** | **${usd(total(idle))}** |`,
  ].join('\n');
}
