import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTClient } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../local/local-service';
import { sharedDynamoEndpoint } from './dynamodb-endpoint';

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

/**
 * The local runner on its worker's DynamoDB Local, with a fresh table (dropped
 * again on stop, so the shared DynamoDB Local does not grow with every
 * fixture), and the official SDK clients pointed at it; jobs may target
 * unregistered things unless the options say otherwise. `ownDynamoDb`: on a
 * DynamoDB Local of its own instead, which nothing else in the run loads.
 */
export async function startWireFixture(
  options: Partial<LocalServiceOptions> & { ownDynamoDb?: boolean } = {},
): Promise<WireFixture> {
  const { ownDynamoDb, ...serviceOptions } = options;
  const shared = ownDynamoDb ? undefined : sharedDynamoEndpoint();
  const service = await startLocalService({
    ...(shared ? { dynamoEndpoint: shared } : { inMemory: true }),
    tableName: `wire-${randomUUID()}`,
    implicitThings: true,
    ...serviceOptions,
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
      if (shared) {
        const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: shared });
        await admin.send(new DeleteTableCommand({ TableName: service.tableName })).catch(() => undefined);
        admin.destroy();
      }
    },
  };
}

export { thingArn } from './arns';
