import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { newDataDir } from '../support/data-dir';
import { startNpm } from '../support/npm-start';

/** `npm start` as a developer runs it: serves, keeps data on disk, and Ctrl-C stops everything, Java included. */
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm start', () => {
  it('serves both APIs, keeps jobs across restarts in the data dir, and stops cleanly on Ctrl-C', async () => {
    const dataDir = newDataDir('jobs-data-');
    try {
      const first = startNpm(dataDir);
      const urls = await first.ready;
      const created = await fetch(`${urls.management}/jobs/kept`, {
        method: 'PUT',
        body: JSON.stringify({ targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1'], document: '{}' }),
      });
      expect(created.status).toBe(200);
      const dynamoPort = Number(new URL(urls.dynamo!).port);
      first.interrupt();
      expect(await first.exited).toBe(true);
      expect(first.output()).toContain('stopped.');
      expect(await portOpen(dynamoPort)).toBe(false);

      const second = startNpm(dataDir);
      const again = await second.ready;
      const pending = (await (await fetch(`${again.device}/things/t1/jobs`)).json()) as {
        queuedJobs: Array<{ jobId: string }>;
      };
      expect(pending.queuedJobs.map((j) => j.jobId)).toEqual(['kept']);
      second.interrupt();
      expect(await second.exited).toBe(true);
      expect(second.output()).toContain('stopped.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
