import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AWS_CLI_ENV } from '../support/aws-cli';
import { newDataDir } from '../support/data-dir';

/**
 * The README's command blocks, run as written, top to bottom, against a
 * fresh `npm start` (on the README's ports, on a fresh data directory): a block that opens
 * with `npm start ...` starts the runner the rest of its section runs
 * against. Sections about deploying to AWS are left out: they need an account.
 */
const RUN_LOCALLY = [
  'Try it',
  'Device certificates locally',
  'Managing jobs',
  'Repairing counts',
  'Testing timeouts locally',
];
const run = promisify(execFile);

interface Session {
  /** The arguments after `npm start --`. */
  startArgs: string[];
  script: string;
}

/**
 * The sh blocks of the sections that run locally, grouped into runner
 * sessions: a section that starts a runner of its own runs on it; the others
 * run on the plain `npm start` of Try it, in README order.
 */
function sessionsOf(readme: string): Session[] {
  const plain: Session = { startArgs: [], script: '' };
  const sessions = [plain];
  const ownRunner = new Map<string, Session>();
  let section = '';
  for (const [i, text] of readme.split(/^```sh\n([\s\S]*?)^```$/m).entries()) {
    if (i % 2 === 0) {
      section = [...text.matchAll(/^#{2,3} (.+)$/gm)].at(-1)?.[1] ?? section;
      continue;
    }
    if (!RUN_LOCALLY.includes(section)) continue;
    const [first, ...rest] = text.split('\n');
    const start = /^npm start(?: -- (.*))?$/.exec(first!.trim());
    if (start) {
      const session = { startArgs: start[1]?.split(/\s+/) ?? [], script: '' };
      sessions.push(session);
      ownRunner.set(section, session);
    }
    (ownRunner.get(section) ?? plain).script += `${start ? rest.join('\n') : text}\n`;
  }
  return sessions;
}

/** The runner on a data directory of its own, given to the commands too (JOBS_DATA_DIR), as a reader's ./.local-data is to theirs. */
async function withRunner<T>(args: string[], work: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const dataDir = newDataDir('jobs-readme-');
  const env = { ...process.env, JOBS_DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child = spawn('npm', ['start', '--', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the runner did not start:\n${output}`)), 60_000);
      child.stdout.on('data', () => {
        if (!output.includes('Ctrl-C')) return;
        clearTimeout(timer);
        resolve();
      });
      void exited.then(() => reject(new Error(`the runner exited:\n${output}`)));
    });
    return await work(env);
  } finally {
    // A runner that exited already (it could not start) has no process group left: the error above says why.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sessions = sessionsOf(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));

describe("README's commands", () => {
  it('finds the blocks to run: Try it and Managing jobs on one runner, TLS and timeouts each on their own', () => {
    expect(sessions.map((s) => s.startArgs.join(' '))).toEqual([
      '',
      '--tls --device-certs t1,t2',
      '--controllable-clock',
    ]);
  });

  it.each(sessions.map((s) => [s.startArgs.join(' ') || '(no flags)', s] as const))(
    'run as written against npm start %s',
    async (_flags, session) => {
      // As a reader runs them: one shell, top to bottom, stopping at the first command that fails, with Try it's exports in it.
      const result = await withRunner(session.startArgs, (runnerEnv) =>
        run('bash', ['-euo', 'pipefail', '-c', `set -x\n${session.script}`], {
          env: { ...runnerEnv, ...AWS_CLI_ENV },
          maxBuffer: 16 * 1024 * 1024,
        }).then(
          ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
          (error: { code?: number; stdout?: string; stderr?: string }) => ({
            code: error.code ?? 1,
            stdout: error.stdout ?? '',
            stderr: error.stderr ?? '',
          }),
        ),
      );
      expect(result, `${result.stderr}`).toMatchObject({ code: 0 });
      if (session.startArgs.includes('--controllable-clock')) expect(result.stdout).toContain('"status": "TIMED_OUT"');
    },
    180_000,
  );
});
