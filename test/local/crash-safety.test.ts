import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../local/data-dir-lock';
import { startNpm } from '../support/npm-start';

/** Waits for `condition`, looking every 50 ms, until `ms` have passed; says whether it came true. */
async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('a runner killed outright', () => {
  it('leaves no DynamoDB Local behind, and the data directory to one runner at a time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobs-crash-'));
    const first = startNpm(dataDir);
    try {
      await first.ready;
      const holder = JSON.parse(readFileSync(join(dataDir, 'runner.lock'), 'utf8')) as { pid: number; storePid: number };
      expect(isAlive(holder.storePid)).toBe(true);

      // A second runner on the same directory while the first runs: refused, naming the first, and no second JVM on the files.
      const second = startNpm(dataDir);
      expect((await second.exit).code).toBe(1);
      expect(second.output()).toContain(`Another local runner (pid ${holder.pid}`);

      process.kill(holder.pid, 'SIGKILL');
      expect(await within(5000, () => !isAlive(holder.storePid))).toBe(true);
      first.killGroup();

      // The next runner takes the directory over, and serves.
      const third = startNpm(dataDir);
      const urls = await third.ready;
      expect((await fetch(`${urls.device}/things/t1/jobs`)).status).toBe(200);
      third.interrupt();
      expect(await third.exited).toBe(true);
    } finally {
      first.killGroup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
