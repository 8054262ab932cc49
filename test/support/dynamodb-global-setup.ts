import type { TestProject } from 'vitest/node';
import { startEmbeddedDynamoDb } from '../../local/dynamodb/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One in-memory DynamoDB Local for the whole run; every test file makes its own tables in it. */
export default async function setup(project: TestProject) {
  const dynamo = await startEmbeddedDynamoDb();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
