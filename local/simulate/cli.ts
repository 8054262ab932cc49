import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseCommandLine, usageError } from '../cli/command-line';
import { drawSimulation } from './chart';
import { readInput } from './policy';
import { simulationTable } from './report';

const USAGE = `Usage: npm run simulate -- <input.json> [--out DIR]

Runs a rollout policy against a simulated fleet on a local service of its own
(in-memory DynamoDB Local, controllable clock), a simulated minute at a time,
and writes DIR/<input>.svg (things per state over time, the abort and the
retries marked) and DIR/<input>.md (a row a minute). DIR defaults to
simulation-results. See docs/rollout-simulation/ for an example input.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (positionals.length !== 1)
    usageError(
      USAGE,
      positionals.length ? `One input at a time, not ${positionals.length}.` : 'Say which input: <input.json>.',
    );
  const path = positionals[0]!;
  const input = await readInput(path);
  // The local service (SDK clients, DynamoDB Local) is loaded once the arguments are read: --help and a mistake
  // answer without it.
  const { simulate } = await import('./simulation');
  const result = await simulate(input, (line) => console.log(line));
  const out = values.out ?? 'simulation-results';
  const name = basename(path).replace(/\.json$/, '');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, `${name}.svg`), drawSimulation(result));
  await writeFile(join(out, `${name}.md`), simulationTable(result));
  console.log(`wrote ${join(out, `${name}.svg`)} and ${join(out, `${name}.md`)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
