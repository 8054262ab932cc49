import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../../local/cli/command-line';
import { costReport } from './cost-report';

const USAGE = `Usage: npm run cost -- [--results <dir>]

Prints what the deployed service costs in us-east-1, per million job executions run to completion and per idle
month, beside AWS IoT Jobs' price, from a bench run's measurements and the prices in bench/cost/cost-prices.ts.

Options:
  --results <dir>   the bench run's results.json and fan-out.json    default: the committed bench/results
  --help            show this text`;

const { values } = parseCommandLine(USAGE, {
  args: process.argv.slice(2),
  strict: true,
  allowPositionals: false,
  options: { results: { type: 'string' }, help: { type: 'boolean' } },
});
const dir = values.results ?? join(fileURLToPath(new URL('..', import.meta.url)), 'results');
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
console.log(costReport(read('results.json'), read('fan-out.json')));
