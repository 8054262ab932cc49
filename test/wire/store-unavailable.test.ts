import {
  CreateJobCommand,
  DescribeJobCommand,
  ServiceUnavailableException as IotServiceUnavailable,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  ServiceUnavailableException,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../local/dynamodb/dynamodb-local';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** With its DynamoDB gone, the service says so in a retryable way: 503, never a 500 or a hang. */
let dynamo: EmbeddedDynamoDb;
let f: WireFixture;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamoDb();
  f = await startWireFixture({ dynamoEndpoint: dynamo.endpoint });
  await f.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('t1')], document: '{}' }));
  await dynamo.stop();
});

afterAll(async () => {
  await f?.stop();
  await dynamo?.stop();
});

describe('store unavailable', () => {
  it.each([
    ['GetPendingJobExecutions', () => new GetPendingJobExecutionsCommand({ thingName: 't1' })],
    ['UpdateJobExecution', () => new UpdateJobExecutionCommand({ thingName: 't1', jobId: 'j1', status: 'SUCCEEDED' })],
  ])('%s answers ServiceUnavailableException (503)', async (_name, command) => {
    const error = await f.device.send(command() as never).then(
      () => undefined,
      (e: unknown) => e as ServiceUnavailableException,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error?.$metadata.httpStatusCode).toBe(503);
    expect(error?.message).toBe('The job store is unavailable; retry');
  });

  it.each([
    ['DescribeJob', () => new DescribeJobCommand({ jobId: 'j1' })],
    ['ListJobExecutionsForJob', () => new ListJobExecutionsForJobCommand({ jobId: 'j1' })],
  ])('management %s answers ServiceUnavailableException (503)', async (_name, command) => {
    const error = await f.iot.send(command() as never).then(
      () => undefined,
      (e: unknown) => e as IotServiceUnavailable,
    );
    expect(error).toBeInstanceOf(IotServiceUnavailable);
    expect(error?.$metadata.httpStatusCode).toBe(503);
  });
});
