import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { IoTClient } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { startLocalService, type LocalService, type LocalServiceOptions } from '../../local/local-service';

/** Any credentials do locally; these make the official clients sign as they would in AWS. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
};

export interface WireFixture {
  service: LocalService;
  device: IoTJobsDataPlaneClient;
  iot: IoTClient;
  stop(): Promise<void>;
}

/** The local runner on the run's DynamoDB Local, with a fresh table, and the official SDK clients pointed at it; jobs may target unregistered things unless the options say otherwise. */
export async function startWireFixture(options: Partial<LocalServiceOptions> = {}): Promise<WireFixture> {
  const service = await startLocalService({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `wire-${randomUUID()}`,
    implicitThings: true,
    ...options,
  });
  const device = new IoTJobsDataPlaneClient({ ...LOCAL_CLIENT_CONFIG, endpoint: service.deviceEndpoint });
  const iot = new IoTClient({ ...LOCAL_CLIENT_CONFIG, endpoint: service.managementEndpoint });
  return {
    service,
    device,
    iot,
    stop: async () => {
      device.destroy();
      iot.destroy();
      await service.stop();
    },
  };
}

export { thingArn } from './arns';
