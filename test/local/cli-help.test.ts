import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** Every command a user types answers --help, and a wrong one says what was wrong (and where it looked), without a stack trace. */
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

describe('the CLIs', () => {
  it.each(['start', 'clock', 'bench', 'recount', 'bind-certificate', 'simulate', 'history', 'dashboard'])(
    'npm run %s -- --help prints its usage and exits 0',
    async (script) => {
      const { code, stdout, stderr } = await npmRun(script, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/usage|npm run|npm start/i);
      expect(stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
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
  ])('npm run %s with %j says what is wrong, with the usage, and exits 2', async (script, args, message) => {
    const { code, stderr } = await npmRun(script, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toMatch(/Usage/);
    expect(stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
  });
});
