import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Set for DynamoDB Local; absent in AWS. */
  endpoint?: string;
  region?: string;
}

/** DynamoDB Local only checks that requests are signed, so fixed keys keep every local process on one namespace. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export function createDocumentClient(connection: DynamoConnection = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(connection.endpoint
      ? { endpoint: connection.endpoint, credentials: LOCAL_CREDENTIALS, region: connection.region ?? LOCAL_REGION }
      : {}),
    ...(connection.region ? { region: connection.region } : {}),
  });
  // Nothing here configures an SDK logger, yet its middleware builds a filtered copy of every request and response to
  // hand the no-op logger: a measurable share of each call's CPU.
  client.middlewareStack.remove('loggerMiddleware');
  // convertClassInstanceToMap: a map with a key named `constructor` (a device's statusDetails may have one) looks like
  // a class instance to the marshaller.
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}
