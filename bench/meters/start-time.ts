import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/free-port';
import { median } from './summary';

export interface StartStats {
  /**
   * The first start on a fresh class-data cache, as on a new checkout: it writes DynamoDB Local's class-data archive as
   * it stops.
   */
  firstStartMs: number;
  /** The starts after it (each with the archive in place). */
  startsMs: number[];
  medianMs: number;
  maxMs: number;
  /** What any start printed on stderr (warnings included): the goal is none. */
  stderrLines: string[];
}

/** Until when a start may take, at most, before the bench gives up on it. */
const START_LIMIT_MS = 60_000;

/**
 * `npm start` as a user types it, timed from the command to the device API's
 * first answer (any HTTP answer to GetPendingJobExecutions), DynamoDB
 * Local's start included. In memory, on free ports, on a class-data cache of
 * the bench's own: the first start shows a fresh checkout, the rest every
 * start after. Each runner is stopped (SIGTERM, as Ctrl-C) before the next.
 */
export async function measureStarts(count: number, progress: (line: string) => void = () => {}): Promise<StartStats> {
  const classCacheDir = await mkdtemp(join(tmpdir(), 'jobs-bench-class-cache-'));
  try {
    const stderrLines: string[] = [];
    const times: number[] = [];
    for (let i = 0; i <= count; i++) {
      progress(
        i === 0 ? 'npm start: the first start (no class-data archive yet)' : `npm start: start ${i} of ${count}`,
      );
      const { ms, stderr } = await timeOneStart(classCacheDir);
      times.push(ms);
      stderrLines.push(...stderr);
    }
    const [firstStartMs, ...startsMs] = times;
    return {
      firstStartMs: firstStartMs!,
      startsMs,
      medianMs: median(startsMs),
      maxMs: Math.max(...startsMs),
      stderrLines,
    };
  } finally {
    await rm(classCacheDir, { recursive: true, force: true });
  }
}

async function timeOneStart(classCacheDir: string): Promise<{ ms: number; stderr: string[] }> {
  const [devicePort, managementPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
  const started = performance.now();
  // A process group of its own, so the stop reaches npm, the runner and DynamoDB Local alike, as Ctrl-C in a terminal
  // does.
  const child = spawn(
    'npm',
    [
      'start',
      '--silent',
      '--',
      '--in-memory',
      '--device-port',
      String(devicePort),
      '--management-port',
      String(managementPort),
      '--mqtt-port',
      String(mqttPort),
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, JOBS_CLASS_CACHE_DIR: classCacheDir } },
  );
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`npm start exited with code ${child.exitCode} before it served:\n${stdout}${stderr}`);
      if (performance.now() - started > START_LIMIT_MS)
        throw new Error(`npm start did not serve within ${START_LIMIT_MS / 1000} s:\n${stdout}${stderr}`);
      const answered = await fetch(`http://127.0.0.1:${devicePort}/things/bench-start/jobs`).then(
        (response) => response.status < 500,
        () => false,
      );
      if (answered) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return { ms: performance.now() - started, stderr: stderr.split('\n').filter((line) => line.trim()) };
  } finally {
    await stopGroup(child.pid!, exited);
  }
}

/** SIGTERM to the whole group, then wait until none of it is left (a first start writes its archive on the way out). */
async function stopGroup(pgid: number, exited: Promise<void>): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-pgid, name);
      return true;
    } catch {
      return false;
    }
  };
  signal('SIGTERM');
  await exited;
  const deadline = Date.now() + 60_000;
  while (signal(0)) {
    if (Date.now() > deadline) {
      signal('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
