import { inject } from 'vitest';

/**
 * The DynamoDB Local of the worker this test file runs in (test/support/dynamodb-global-setup.ts starts one per
 * worker), so that files running beside each other do not queue on one store.
 */
export function sharedDynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints');
  const worker = Math.max(1, Number(process.env.VITEST_POOL_ID) || 1);
  const endpoint = endpoints[(worker - 1) % endpoints.length];
  if (!endpoint)
    throw new Error('No DynamoDB Local was started for the run (see test/support/dynamodb-global-setup.ts)');
  return endpoint;
}
