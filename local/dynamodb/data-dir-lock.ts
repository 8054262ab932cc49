import { readFileSync } from 'node:fs';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who holds a data directory: the runner's process, and the DynamoDB Local it started on it. */
export interface LockHolder {
  pid: number;
  storePid?: number;
  /**
   * Where its DynamoDB Local answers, and the jobs table in it: how `npm run recount` reaches a running runner's data.
   */
  storeEndpoint?: string;
  tableName?: string;
  startedAt: string;
}

export interface DataDirLock {
  /** The lock file's path. */
  path: string;
  /**
   * Records the DynamoDB Local this runner started: its process, so a runner that takes over a stale lock can stop it,
   * and its endpoint and table, for the CLIs.
   */
  recordStore(store: { pid?: number; endpoint: string; tableName: string }): Promise<void>;
  release(): Promise<void>;
}

const LOCK_FILE = 'runner.lock';
const STALE_STORE_EXIT_MS = 5000;

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Only a process that is DynamoDB Local is stopped on takeover: a pid the system gave to another program since is left
 * alone.
 */
function isDynamoDbLocal(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
  } catch {
    return false;
  }
}

async function stopStaleStore(pid: number): Promise<void> {
  if (!isAlive(pid) || !isDynamoDbLocal(pid)) return;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + STALE_STORE_EXIT_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The runner using a data directory now, if one is. */
export async function runningHolder(dir: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(join(dir, LOCK_FILE));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Takes a data directory for this runner, so that no two DynamoDB Local
 * processes ever open the same files. A directory held by a runner that is
 * still running is refused, naming it; one left by a runner that died (its
 * process is gone) is taken over, its DynamoDB Local stopped first if it
 * outlived it.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  let holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify(holder));
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const previous = await readHolder(path);
    if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
      throw new Error(
        `Another local runner (pid ${previous.pid}, started ${previous.startedAt}) is using the data directory ${dir}. ` +
          'Stop it first, or start this one with another --data-dir (or --in-memory).',
      );
    }
    if (previous?.storePid !== undefined) await stopStaleStore(previous.storePid);
    await rm(path, { force: true });
  }
  return {
    path,
    recordStore: async (store) => {
      holder = {
        ...holder,
        ...(store.pid !== undefined ? { storePid: store.pid } : {}),
        storeEndpoint: store.endpoint,
        tableName: store.tableName,
      };
      await writeFile(path, JSON.stringify(holder));
    },
    release: async () => {
      const current = await readHolder(path);
      if (current?.pid === process.pid) await rm(path, { force: true });
    },
  };
}
