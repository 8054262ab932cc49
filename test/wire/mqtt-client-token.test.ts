import { CreateJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';

/**
 * A jobs request's clientToken over MQTT (mqtt.js on the local runner): 1-64 printable ASCII characters without a
 * space, as botocore's iot-jobs-data model has it (ClientRequestTokenV2); a longer or spaced one is refused with
 * InvalidRequest before the request does anything.
 */
let f: WireFixture;
let device: MqttClient;

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0 });
  await f.iot.send(new CreateJobCommand({ jobId: 'tokens', targets: [thingArn('tk-1')], document: '{}' }));
  device = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId: 'tk-1', reconnectPeriod: 0 });
});

afterAll(async () => {
  await device?.endAsync(true);
  await f?.stop();
});

it('refuses a clientToken past 64 characters or with a space on every request, and echoes one of 64', async () => {
  const refused = [
    ['$aws/things/tk-1/jobs/start-next', { clientToken: 'x'.repeat(200) }],
    ['$aws/things/tk-1/jobs/tokens/update', { clientToken: 'y'.repeat(65), status: 'IN_PROGRESS' }],
    ['$aws/things/tk-1/jobs/tokens/update', { clientToken: 'two words', status: 'IN_PROGRESS' }],
    ['$aws/things/tk-1/jobs/get', { clientToken: 'z'.repeat(65) }],
    ['$aws/things/tk-1/jobs/tokens/get', { clientToken: 'w'.repeat(65) }],
  ] as const;
  for (const [topic, payload] of refused) {
    const answer = await mqttRequest(device, topic, payload);
    expect({ topic, accepted: answer.accepted, code: answer.body.code }).toEqual({
      topic,
      accepted: false,
      code: 'InvalidRequest',
    });
    expect(answer.body.message).toContain('clientToken');
  }
  // Nothing was started by the refused requests.
  const token = `${'!'.repeat(32)}${'~'.repeat(32)}`;
  const started = await mqttRequest(device, '$aws/things/tk-1/jobs/start-next', { clientToken: token });
  expect(started).toMatchObject({
    accepted: true,
    body: { clientToken: token, execution: { jobId: 'tokens', status: 'IN_PROGRESS', versionNumber: 2 } },
  });
});
