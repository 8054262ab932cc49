import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newDataDir } from '../support/data-dir';
import { sharedDynamoEndpoint } from '../support/dynamodb-endpoint';
import { LOCAL_CLIENT_CONFIG } from '../support/local-service';
import { startNpm } from '../support/npm-start';
import { within } from '../support/within';

/**
 * `npm start -- --log-events`: each event a line of JSON led by its time in ISO 8601, read from the service's clock
 * (moved a day forward here), so that it agrees with the event's own `timestamp` rather than with the wall clock.
 */
const DAY_S = 86_400;

describe('npm start -- --log-events', () => {
  it("prints each event as a line of JSON whose first field is the service clock's time, in ISO 8601", async () => {
    const dataDir = newDataDir('jobs-log-events-');
    const endpoint = sharedDynamoEndpoint();
    const tableName = `log-events-${randomUUID()}`;
    onTestFinished(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
      await admin.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      admin.destroy();
    });
    // On the run's DynamoDB Local, as any DynamoDB the runner is pointed at: no JVM of its own to wait for.
    const runner = startNpm(dataDir, [
      '--dynamodb-endpoint',
      endpoint,
      '--table-name',
      tableName,
      '--controllable-clock',
      '--log-events',
    ]);
    const { management } = await runner.ready;
    const advanced = await fetch(`${management}/_local/clock/advance`, {
      method: 'POST',
      body: JSON.stringify({ seconds: DAY_S }),
    });
    expect(advanced.status).toBe(200);
    const created = await fetch(`${management}/jobs/logged`, {
      method: 'PUT',
      body: JSON.stringify({ targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1'], document: '{}' }),
    });
    expect(created.status).toBe(200);
    expect((await fetch(`${management}/jobs/logged/cancel`, { method: 'PUT', body: '{}' })).status).toBe(200);

    const eventLines = () =>
      runner
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.endsWith('}') && line.includes('"eventType"'));
    expect(await within(15_000, () => eventLines().length >= 2), runner.output()).toBe(true);
    for (const line of eventLines()) {
      const parsed = JSON.parse(line) as { time: string; event: string; timestamp: number; jobId: string };
      expect(Object.keys(parsed)[0]).toBe('time');
      expect(parsed.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(parsed).toMatchObject({ event: expect.stringContaining('$aws/events/'), jobId: 'logged' });
      // Printed as the stream is read, an instant after the change it tells of; both on the clock moved a day on.
      const printedS = Date.parse(parsed.time) / 1000;
      expect(printedS - parsed.timestamp).toBeGreaterThanOrEqual(0);
      expect(printedS - parsed.timestamp).toBeLessThan(15);
      expect(printedS).toBeGreaterThan(Date.now() / 1000 + DAY_S - 60);
    }
    runner.interrupt();
    expect(await runner.exited).toBe(true);
  });
});
