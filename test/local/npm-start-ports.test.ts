import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseCliOptions } from '../../local/cli/start-options';
import { fixedPorts } from '../../local/http/service-ports';
import { type LocalServiceOptions, startLocalService } from '../../local/local-service';
import { newDataDir } from '../support/data-dir';
import { sharedDynamoEndpoint } from '../support/dynamodb-endpoint';
import { LOCAL_CLIENT_CONFIG } from '../support/local-service';
import { startNpm } from '../support/npm-start';

/**
 * A port something else holds stops `npm start` at once, before DynamoDB Local boots, saying which port, what it is
 * for, and the flag and the variable that move it; a listen that fails all the same (the port taken after the check)
 * says the same.
 */

/** A port this test process holds, as another program would: released when the test ends. */
async function heldPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** Resolves with 'deadline' after `ms`, unless the race it is in ended first (its timer holds nothing up). */
const deadline = (ms: number) =>
  new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), ms).unref());

const takenMessage = (port: number, purpose: string, flag: string, variable: string) =>
  `Port ${port} (${purpose}) is taken: pass ${flag} <n> or set ${variable} (0 picks a free port).`;

const PORTS = [
  ['device API', '--device-port', 'JOBS_DEVICE_PORT', 'devicePort'],
  ['management API', '--management-port', 'JOBS_MANAGEMENT_PORT', 'managementPort'],
  ['MQTT', '--mqtt-port', 'JOBS_MQTT_PORT', 'mqttPort'],
  ['local S3', '--s3-port', 'JOBS_S3_PORT', 's3Port'],
] as const;

describe('npm start with a port taken', () => {
  it.each(PORTS)(
    'the %s port: fails within seconds, naming the port, its flag and variable, before DynamoDB Local starts',
    async (purpose, flag, variable) => {
      const port = await heldPort();
      const dataDir = newDataDir('jobs-ports-');
      onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
      const runner = startNpm(dataDir, [flag, String(port)]);

      // npm and tsx take a second or two on a busy machine; DynamoDB Local would add its boot, and its files.
      const exit = await Promise.race([runner.exit, deadline(10_000)]);
      expect(exit, runner.output()).not.toBe('deadline');
      expect(exit).toMatchObject({ code: 1 });
      const output = runner.output();
      expect(output).toContain(takenMessage(port, purpose, flag, variable));
      expect(output).not.toContain('DynamoDB');
      expect(output).not.toMatch(/at .+:\d+:\d+/);
      // No lock taken, no DynamoDB Local files: the store never started.
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );

  it('two of its ports asked to be one: said before anything starts', async () => {
    const dataDir = newDataDir('jobs-ports-');
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const runner = startNpm(dataDir, ['--device-port', '18090', '--management-port', '18090']);
    const exit = await Promise.race([runner.exit, deadline(10_000)]);
    expect(exit).toMatchObject({ code: 1 });
    expect(runner.output()).toContain('Port 18090 is asked for twice');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('the ports npm start checks', () => {
  it('are the fixed ones it will listen on: MQTT on 1883, or 8883 with --tls, unless off; 0 is never checked', () => {
    const ports = (argv: string[]) => fixedPorts(parseCliOptions(argv, {}) as LocalServiceOptions);
    expect(ports([])).toEqual([
      { name: 'device', port: 8090 },
      { name: 'management', port: 8091 },
      { name: 'mqtt', port: 1883 },
      { name: 's3', port: 8092 },
    ]);
    expect(ports(['--tls'])).toContainEqual({ name: 'mqtt', port: 8883 });
    expect(ports(['--device-port', '0', '--mqtt-port', '0', '--s3-port', '0'])).toEqual([
      { name: 'management', port: 8091 },
    ]);
  });
});

describe('a port taken between the check and the listen', () => {
  it.each(PORTS)('the %s port: the service says the same as the check', async (purpose, flag, variable, option) => {
    const port = await heldPort();
    const endpoint = sharedDynamoEndpoint();
    const tableName = `ports-${randomUUID()}`;
    onTestFinished(async () => {
      const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
      await admin.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      admin.destroy();
    });
    const options: LocalServiceOptions = { dynamoEndpoint: endpoint, tableName, devicePort: 0, managementPort: 0 };
    await expect(startLocalService({ ...options, [option]: port })).rejects.toThrow(
      takenMessage(port, purpose, flag, variable),
    );
  });
});
