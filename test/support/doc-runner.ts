import { type ChildProcess, spawn } from 'node:child_process';
import { within } from './within';

/**
 * The reader's `npm start`, in a terminal of its own: started as a page's
 * runner block says, kept while the next page asks for the same, and stopped
 * with Ctrl-C (SIGINT to its process group) before a page asks for another.
 */
export class DocRunner {
  private child: ChildProcess | undefined;
  private args: string[] | undefined;
  private exited: Promise<number | null> = Promise.resolve(0);
  output = '';

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
  ) {}

  /** The runner as `npm start -- args` starts it; the one running already if it was started so. */
  async ensure(args: string[]): Promise<void> {
    if (this.child && this.args?.join(' ') === args.join(' ')) return;
    await this.stop();
    this.args = args;
    this.output = '';
    const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
      cwd: this.cwd,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve(code);
      }),
    );
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk) => {
        this.output += chunk;
      });
    const serving = await within(90_000, () => this.output.includes('Ctrl-C') || exitCode !== undefined, 50);
    if (!serving || exitCode !== undefined) {
      await this.stop();
      throw new Error(`npm start ${args.join(' ')} did not start serving:\n${this.output}`);
    }
  }

  /** Ctrl-C, as a reader stops it; it must stop cleanly (on a data directory it first reads the stream's rest). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // It exited already.
    }
    const stopped = await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 60_000, 'late'))]);
    if (stopped === 'late') {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`npm start did not stop on Ctrl-C within 60 s:\n${this.output}`);
    }
  }
}
