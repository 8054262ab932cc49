import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Every command a user types answers --help, and a wrong one says what was wrong (and where it looked), without a stack
 * trace.
 */
const run = promisify(execFile);
// Not silenced here: the npm scripts themselves must silence the SDK's Node-version warning.
const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _silenced, ...ENV } = process.env;

async function npmRun(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script, '--', ...args], {
      env: ENV,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const SCRIPTS = ['start', 'clock', 'bench', 'cost', 'recount', 'simulate', 'history', 'dashboard'];

/** One error style for them all: the mistake on one line, a blank line, then the usage, all on stderr; exit 2. */
function expectUsageError(result: { code: number; stdout: string; stderr: string }, message: string) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const [first, blank, usage] = result.stderr.split('\n');
  expect(first).toContain(message);
  expect(blank).toBe('');
  expect(usage).toMatch(/^Usage: /);
  expect(result.stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
}

describe('the CLIs', () => {
  it.each(SCRIPTS)('npm run %s -- --help prints its usage on stdout and exits 0', async (script) => {
    const { code, stdout, stderr } = await npmRun(script, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: /);
    expect(stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
  });

  it.each(SCRIPTS)(
    'npm run %s -- --bogus says so on one line, then the usage, on stderr, and exits 2',
    async (script) => {
      expectUsageError(await npmRun(script, '--bogus'), '--bogus');
    },
  );

  it('npm run recount, whose SDK client starts, prints no SDK Node-version warning (the npm script silences it)', async () => {
    const { stderr } = await npmRun(
      'recount',
      '--job-id',
      'j1',
      '--dynamodb-endpoint',
      'http://127.0.0.1:9',
      '--table-name',
      't',
    );
    expect(stderr).toContain('The job store is unavailable');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('npm run clock names the URL it tried when nothing answers there', async () => {
    const { code, stderr } = await npmRun('clock', 'show', '--endpoint', 'http://127.0.0.1:9');
    expect(code).toBe(1);
    expect(stderr).toContain('Nothing answered at http://127.0.0.1:9/_local/clock');
  });

  it('npm run history names the URL it tried when nothing answers there', async () => {
    const { code, stderr } = await npmRun('history', '--thing', 't1', '--management-url', 'http://127.0.0.1:9');
    expect(code).toBe(1);
    expect(stderr).toContain('Nothing answered at http://127.0.0.1:9');
  });

  it('npm run dashboard names the URL it tried when nothing answers there, before serving anything', async () => {
    const { code, stderr } = await npmRun('dashboard', '--management-url', 'http://127.0.0.1:9', '--port', '0');
    expect(code).toBe(1);
    expect(stderr).toContain('Nothing answered at http://127.0.0.1:9');
  });

  it.each([
    ['clock', ['bogus'], 'Unknown command: bogus'],
    ['clock', ['--bogus'], "Unknown option '--bogus'"],
    ['bench', ['--bogus'], 'Unknown option --bogus'],
    ['history', [], 'Say which thing: --thing <name>.'],
    ['dashboard', [], 'Say which management API: --management-url <ManagementApiUrl>.'],
    ['dashboard', ['--management-url', 'http://127.0.0.1:9', '--port', 'x'], '--port must be a port number, not x'],
    ['clock', ['advance', '5x'], '"5x" is not a duration'],
    ['bench', ['--things', '0'], '--things must be a whole number'],
    ['bench', ['--fan-out', '--snapshot'], 'Unknown option --snapshot'],
    ['recount', [], 'Say what to recount'],
    ['recount', ['--job-id'], "Option '--job-id <value>' argument missing"],
    ['recount', ['--job-id', 'j1', '--settle-seconds', 'soon'], '--settle-seconds must be 0 to 3600, got soon'],
    ['start', ['--device-port', 'x'], '--device-port must be a port number'],
    ['simulate', [], 'Say which input'],
    ['history', ['--thing'], "Option '--thing <value>' argument missing"],
  ])('npm run %s with %j says what is wrong, then the usage, and exits 2', async (script, args, message) => {
    expectUsageError(await npmRun(script, ...args), message);
  });
});
