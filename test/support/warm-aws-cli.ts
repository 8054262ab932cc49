import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { within } from './within';

const run = promisify(execFile);
const SERVER = resolve(import.meta.dirname, 'aws-cli-server.py');

/** The `aws` on a PATH, as bash would find it. */
async function awsOnPath(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { stdout } = await run('bash', ['-c', 'command -v aws || true'], { env });
  return stdout.trim() || undefined;
}

/** The interpreter a script's `#!` line names (`/usr/bin/python3`, `/usr/bin/env python3`), if it is Python. */
function shebangPython(script: string): string | undefined {
  const buffer = Buffer.alloc(200);
  const fd = openSync(script, 'r');
  const line = buffer
    .subarray(0, readSync(fd, buffer, 0, 200, 0))
    .toString()
    .split('\n')[0]!;
  closeSync(fd);
  const words = line.startsWith('#!') ? line.slice(2).trim().split(/\s+/) : [];
  const python = words[0]?.endsWith('/env') ? words[1] : words[0];
  return python && /python[\d.]*$/.test(python) ? python : undefined;
}

/** The `aws` client of the warm CLI: a Python without its site packages (~0.05 CPU s) that hands over its command. */
const client = (python: string, socketPath: string) => `#!${python} -S
# The docs walk's \`aws\`: the command, run by the warm AWS CLI of test/support/aws-cli-server.py.
import json, os, socket, struct, sys
conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
conn.connect(${JSON.stringify(socketPath)})
msg = json.dumps({'argv': ['aws'] + sys.argv[1:], 'cwd': os.getcwd(), 'env': dict(os.environ)}).encode()
conn.sendall(struct.pack('!I', len(msg)))
sent = socket.send_fds(conn, [msg], [0, 1, 2])
conn.sendall(msg[sent:])
reply = conn.recv(4, socket.MSG_WAITALL)
if len(reply) != 4:
    sys.stderr.write('aws: the warm AWS CLI ended without an exit code\\n')
    sys.exit(255)
sys.exit(struct.unpack('!i', reply)[0])
`;

/**
 * The AWS CLI of a PATH, warm: its modules imported once in a server process, and each `aws` command run in a fork of
 * it (with the command's own argv, environment, directory and stdio, and its exit code), instead of a Python that
 * imports awscli and botocore again for every command (0.5 of the 0.8 CPU seconds a local command takes). Only where
 * it is the same CLI: `start` answers undefined (and the walk uses `aws` as it is) unless the interpreter the `aws`
 * script names, or `python3`, imports awscli at the version `aws --version` prints.
 */
export class WarmAwsCli {
  private constructor(
    private readonly server: ChildProcess,
    private readonly dir: string,
    /** Where its `aws` is, to put first on a PATH. */
    readonly binDir: string,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<WarmAwsCli | undefined> {
    const aws = await awsOnPath(env);
    if (!aws) return undefined;
    const candidate = shebangPython(aws) ?? 'python3';
    const probe = 'import sys, awscli; print(sys.executable); print(awscli.__version__)';
    const [found, version] = await Promise.all([
      run(candidate, ['-c', probe], { env }).catch(() => undefined),
      run(aws, ['--version'], { env }).catch(() => undefined),
    ]);
    const [python, awscliVersion] = found?.stdout.trim().split('\n') ?? [];
    if (!python || !version || !`${version.stdout}${version.stderr}`.startsWith(`aws-cli/${awscliVersion} `))
      return undefined;
    const dir = mkdtempSync(join(tmpdir(), 'warm-aws-'));
    const binDir = join(dir, 'bin');
    const socketPath = join(dir, 'aws.sock');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'aws'), client(python, socketPath));
    chmodSync(join(binDir, 'aws'), 0o755);
    const server = spawn(python, [SERVER, socketPath, aws], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let exited = false;
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    server.once('exit', () => {
      exited = true;
    });
    const ready = await within(30_000, () => output.startsWith('ready') || exited, 20);
    const warm = new WarmAwsCli(server, dir, binDir);
    if (!ready || exited) {
      await warm.stop();
      throw new Error(`the warm AWS CLI did not start:\n${output}`);
    }
    return warm;
  }

  /** An environment whose `aws` is this one. */
  env(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return { ...env, PATH: [this.binDir, env.PATH].filter(Boolean).join(delimiter) };
  }

  /** Stops it once the commands under way are done (within 10 s). */
  async stop(): Promise<void> {
    const server = this.server;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 10_000, false))])))
        server.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
