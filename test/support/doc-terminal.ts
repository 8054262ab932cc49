import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { within } from './within';

/** What a command printed, and how it ended. */
export interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * A reader's terminal: one bash that lives across blocks, so what a block
 * exports or sets is there for the next, as in a terminal, and nothing else
 * is (it starts with the environment it is given). A failing command ends the
 * shell (`set -e`), as it would stop a reader.
 */
export class Terminal {
  private readonly shell: ChildProcess;
  private stdout = '';
  private stderr = '';
  private exited = false;
  private readonly dir = mkdtempSync(join(tmpdir(), 'doc-terminal-'));
  private count = 0;

  constructor(env: NodeJS.ProcessEnv, cwd: string) {
    this.shell = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.shell.stdout?.on('data', (chunk) => {
      this.stdout += chunk;
    });
    this.shell.stderr?.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.shell.once('exit', () => {
      this.exited = true;
    });
    this.shell.stdin?.write('set -euo pipefail\n');
  }

  /** Runs a block as a reader pastes it, with each command traced on stderr. */
  async run(text: string, ms: number): Promise<Ran> {
    const file = join(this.dir, `block-${++this.count}.sh`);
    writeFileSync(file, `set -x\n${text}\n{ set +x; } 2>/dev/null\n`);
    const mark = `__block_${this.count}_done__`;
    const [outFrom, errFrom] = [this.stdout.length, this.stderr.length];
    // The block's commands read nothing of the shell's own input.
    this.shell.stdin?.write(`source ${file} < /dev/null\necho ${mark}; echo ${mark} >&2\n`);
    const done = () => this.stdout.includes(mark, outFrom) && this.stderr.includes(mark, errFrom);
    await within(ms, () => done() || this.exited, 50);
    const cut = (text: string, from: number) => text.slice(from).replace(`${mark}\n`, '');
    return { ok: done(), stdout: cut(this.stdout, outFrom), stderr: cut(this.stderr, errFrom) };
  }

  close(): void {
    if (!this.exited) this.shell.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A long-running command in a terminal of its own (a listener), until it is stopped as Ctrl-C stops it. */
export class Background {
  private readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  exitCode: number | null | undefined;

  constructor(text: string, env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn('bash', ['-c', text], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk) => {
      this.stdout += chunk;
    });
    this.child.stderr?.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.child.once('exit', (code) => {
      this.exitCode = code;
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(-this.child.pid!, 'SIGINT');
    } catch {
      // Gone already.
    }
    if (!(await within(10_000, () => !this.running, 50))) process.kill(-this.child.pid!, 'SIGKILL');
  }
}
