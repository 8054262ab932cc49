import type { SimulationResult } from './simulation';

/** The simulation as a Markdown table, a row a minute, and what fired. */
export function simulationTable(result: SimulationResult): string {
  const { input, rows, events } = result;
  const lines = [
    `# Rollout simulation: ${input.name}`,
    '',
    `${input.fleet.size} things; ${Math.round(input.fleet.failureRate * 100)}% of attempts fail${input.fleet.silentRate ? `, ${Math.round(input.fleet.silentRate * 100)}% go silent` : ''}; a device reports ${input.fleet.minutesToFinish[0]}-${input.fleet.minutesToFinish[1]} minutes after it starts (seed ${input.fleet.seed ?? 1}).`,
    '',
    'The policy (CreateJob members):',
    '',
    '```json',
    JSON.stringify(input.job, null, 2),
    '```',
    '',
    '| minute | status | released | queued | in progress | succeeded | failed | timed out | canceled | retries |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.minute} | ${r.status} | ${r.released} | ${r.queued} | ${r.inProgress} | ${r.succeeded} | ${r.failed} | ${r.timedOut} | ${r.canceled} | ${r.retries} |`,
    ),
    '',
    ...(events.length
      ? [
          'What fired:',
          '',
          ...events.map((e) => `- minute ${e.minute}: ${e.kind === 'abort' ? 'abort: ' : ''}${e.text}`),
          '',
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
