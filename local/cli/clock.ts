import { ADVANCE_PATH, CLOCK_PATH } from '../clock/clock-control';
import { parseDuration } from '../clock/duration';
import { parseCommandLine, readCommandLine, usageError } from './command-line';

const USAGE = `Usage: npm run clock -- show | advance <duration> [--endpoint <url>] | --help

Shows or moves forward the clock of a local service started with
\`npm start -- --controllable-clock\`. Advancing runs a timeout sweep at once,
and releases what each rollout whose next window has opened may release.

  duration     90s, 11m, 2h, 1d, or plain seconds
  --endpoint   the management API       default http://127.0.0.1:$JOBS_MANAGEMENT_PORT (8091)`;

/** A fetch that names the URL it tried when nothing answers there. */
async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `Nothing answered at ${url} (${cause?.code ?? cause?.message ?? String(error)}): is \`npm start -- --controllable-clock\` running there? --endpoint (or JOBS_MANAGEMENT_PORT) names another.`,
    );
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const endpoint = values.endpoint ?? `http://127.0.0.1:${process.env.JOBS_MANAGEMENT_PORT || 8091}`;
  const [command, amount] = positionals;
  let response: Response;
  if (command === 'show' && !amount) {
    response = await call(`${endpoint}${CLOCK_PATH}`);
  } else if (command === 'advance' && amount) {
    // A duration it cannot read is a mistake in the command, as an unknown flag is.
    const seconds = readCommandLine(USAGE, () => parseDuration(amount));
    response = await call(`${endpoint}${ADVANCE_PATH}`, { method: 'POST', body: JSON.stringify({ seconds }) });
  } else {
    usageError(
      USAGE,
      command ? `Unknown command: ${[command, amount].filter(Boolean).join(' ')}` : 'Say show or advance.',
    );
  }
  const text = await response.text();
  if (response.status === 404)
    throw new Error(`${endpoint} has no clock control: start the service with --controllable-clock`);
  if (!response.ok) throw new Error(text);
  console.log(JSON.stringify(JSON.parse(text), null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
