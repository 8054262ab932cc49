import { DescribeEndpointCommand, type IoTClient } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { LOCAL_CLIENT_CONFIG, startWireFixture, type WireFixture } from '../support/local-service';

/** DescribeEndpoint on the local runner: the addresses it answers are the ones a device then reaches. */
let f: WireFixture;
let noMqtt: WireFixture;

beforeAll(async () => {
  [f, noMqtt] = await Promise.all([startWireFixture({ mqttPort: 0 }), startWireFixture()]);
});

afterAll(async () => {
  await Promise.all([f?.stop(), noMqtt?.stop()]);
});

const addressOf = async (iot: IoTClient, endpointType?: string) =>
  (await iot.send(new DescribeEndpointCommand(endpointType ? { endpointType } : {}))).endpointAddress;

describe('DescribeEndpoint on the local runner', () => {
  it('answers iot:Jobs with the device API, which a device client then reaches', async () => {
    const address = await addressOf(f.iot, 'iot:Jobs');
    expect(`http://${address}`).toBe(f.service.deviceEndpoint);
    const device = new IoTJobsDataPlaneClient({ ...LOCAL_CLIENT_CONFIG, endpoint: `http://${address}` });
    await expect(device.send(new GetPendingJobExecutionsCommand({ thingName: 'pump-1' }))).resolves.toMatchObject({
      queuedJobs: [],
      inProgressJobs: [],
    });
    device.destroy();
  });

  it('answers iot:Data-ATS, iot:Data and no type with the MQTT broker, which an MQTT client then reaches', async () => {
    const ats = await addressOf(f.iot, 'iot:Data-ATS');
    expect(`mqtt://${ats}`).toBe(f.service.mqttEndpoint);
    expect(await addressOf(f.iot, 'iot:Data')).toBe(ats);
    expect(await addressOf(f.iot)).toBe(ats);
    const client = await mqtt.connectAsync(`mqtt://${ats}`, { clientId: 'pump-1', reconnectPeriod: 0 });
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('refuses the data endpoint, naming iot:Jobs, when the runner serves no MQTT', async () => {
    await expect(addressOf(noMqtt.iot, 'iot:Data-ATS')).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining(
        'No MQTT broker runs here: devices reach jobs over HTTPS (endpoint type iot:Jobs)',
      ),
      $metadata: { httpStatusCode: 400 },
    });
    expect(await addressOf(noMqtt.iot, 'iot:Jobs')).toBe(new URL(noMqtt.service.deviceEndpoint).host);
  });

  it("answers the AWS CLI, and refuses a type AWS does not know with AWS's words", async () => {
    const endpoint = f.service.managementEndpoint;
    const jobs = await aws('iot', 'describe-endpoint', '--endpoint-type', 'iot:Jobs', '--endpoint-url', endpoint);
    expect(jobs).toMatchObject({ code: 0, json: { endpointAddress: new URL(f.service.deviceEndpoint).host } });
    const unknown = await aws('iot', 'describe-endpoint', '--endpoint-type', 'iot:Job', '--endpoint-url', endpoint);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      '(InvalidRequestException) when calling the DescribeEndpoint operation: Endpoint type iot:Job not recognized.',
    );
  });
});
