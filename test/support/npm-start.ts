import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { isAlive } from '../../local/dynamodb/data-dir-lock';
import { newDataDir } from './data-dir';
import { within } from './within';

export interface RunnerUrls {
  device: string;
  management: string;
  dynamo: string;
}

/**
 * `npm start` on a data directory, as a developer runs it, in its own process
 * group; HTTP ports chosen by the system, MQTT and the local S3 off (its fixed port is the
 * README test's); its jobs may target unregistered things. `extraArgs` come
 * last, so they override those (the last value of a flag wins). The group is
 * killed when the test ends, however it ends: a test that timed out must not
 * leave a runner holding ports for the next file.
 */
export function startNpm(dataDir: string, extraArgs: readonly string[] = []) {
  const child = spawn(
    'npm',
    [
      'start',
      '--',
      '--device-port',
      '0',
      '--management-port',
      '0',
      '--mqtt-port',
      '0',
      '--s3-port',
      '0',
      '--data-dir',
      dataDir,
      '--implicit-things',
      ...extraArgs,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // npm itself may end by the same SIGINT it forwards; our process must still have stopped cleanly.
  const exited = exit.then(({ code, signal }) => code === 0 || signal === 'SIGINT');
  const ready = new Promise<RunnerUrls>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      const device = /device API \(iot-jobs-data\):\s+(\S+)/.exec(output)?.[1];
      const management = /management API \(iot\):\s+(\S+)/.exec(output)?.[1];
      const dynamo = /DynamoDB:\s+(\S+)/.exec(output)?.[1];
      if (device && management && dynamo && output.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve({ device, management, dynamo });
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before serving:\n${output}`));
    });
  });
  // A runner expected to be refused never serves: that is no unhandled rejection.
  ready.catch(() => undefined);
  // Ctrl-C in a terminal signals the whole process group.
  const interrupt = () => process.kill(-child.pid!, 'SIGINT');
  /** Whatever of the group is left (npm and its shell, after the runner was killed), gone. */
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
  };
  onTestFinished(killGroup);
  return { ready, exit, exited, interrupt, killGroup, output: () => output };
}

/** What `npm start` records in its data directory's lock: its pid, its DynamoDB Local's, and where that serves. */
export interface RunnerHolder {
  pid: number;
  storePid: number;
  storeEndpoint: string;
  tableName: string;
}

/**
 * Two runs of `npm start` on one data directory with a kill -9 between: the
 * first run's `before`, then the runner killed outright (its DynamoDB Local
 * must be gone within 5 s), then the second run's `after`, which must stop
 * cleanly on Ctrl-C. The directory and every process are gone afterwards.
 */
export async function acrossAKill<T>(
  prefix: string,
  before: (urls: RunnerUrls, holder: RunnerHolder) => Promise<T>,
  after: (urls: RunnerUrls, fromBefore: T) => Promise<void>,
): Promise<void> {
  const dataDir = newDataDir(prefix);
  const first = startNpm(dataDir);
  let second: ReturnType<typeof startNpm> | undefined;
  try {
    const urls = await first.ready;
    const holder = JSON.parse(readFileSync(join(dataDir, 'runner.lock'), 'utf8')) as RunnerHolder;
    const fromBefore = await before(urls, holder);
    process.kill(holder.pid, 'SIGKILL');
    if (!(await within(5000, () => !isAlive(holder.storePid))))
      throw new Error('DynamoDB Local outlived its killed runner by 5 s');
    first.killGroup();
    second = startNpm(dataDir);
    await after(await second.ready, fromBefore);
    second.interrupt();
    if (!(await second.exited)) throw new Error('the second runner did not stop cleanly on Ctrl-C');
  } finally {
    first.killGroup();
    second?.killGroup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
