import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDynamoDb } from '../../local/dynamodb/dynamodb-local';

const run = promisify(execFile);

/** A process that starts DynamoDB Local and then dies of an uncaught exception. */
const CRASHING_SCRIPT = `
  const { startEmbeddedDynamoDb } = await import(${JSON.stringify(new URL('../../local/dynamodb/dynamodb-local.ts', import.meta.url).href)});
  const db = await startEmbeddedDynamoDb({});
  console.log('pid=' + db.pid);
  throw new Error('crash on purpose');
`;

/** Running: it exists and is not a zombie (whether its new parent reaps it is up to the machine's init). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('embedded DynamoDB Local', () => {
  it('does not outlive a process that crashes', async () => {
    const outcome = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CRASHING_SCRIPT], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    }).then(
      () => ({ stdout: '', crashed: false }),
      (error: { stdout: string; stderr: string }) => ({
        stdout: error.stdout,
        crashed: error.stderr.includes('crash on purpose'),
      }),
    );
    const pid = Number(/pid=(\d+)/.exec(outcome.stdout)?.[1]);
    expect(outcome.crashed).toBe(true);
    expect(pid).toBeGreaterThan(0);
    // SIGKILL is delivered at once, but the kernel may take a moment to reap the JVM.
    await expect.poll(() => running(pid), { timeout: 5000 }).toBe(false);
  }, 60_000);

  it('maps the class-data archive its first start wrote as it stopped', async () => {
    const classCacheDir = await mkdtemp(join(tmpdir(), 'java-cache-'));
    try {
      const first = await startEmbeddedDynamoDb({ classCacheDir });
      await first.stop();
      const later = await startEmbeddedDynamoDb({ classCacheDir });
      try {
        // The JVM maps an archive it accepts; one it rejected (a wrong class path, a stale JDK) would not be in its
        // address space.
        const mapped = readFileSync(`/proc/${later.pid}/maps`, 'utf8');
        expect(mapped).toMatch(/classes\.jsa/);
      } finally {
        await later.stop();
      }
    } finally {
      await rm(classCacheDir, { recursive: true, force: true });
    }
  }, 90_000);
});
