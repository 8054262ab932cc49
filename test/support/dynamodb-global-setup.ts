import type { TestProject } from 'vitest/node';
import { startEmbeddedDynamoDb } from '../../local/dynamodb/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One endpoint per worker: test/support/dynamodb-endpoint.ts picks the one of the worker a file runs in. */
    dynamoEndpoints: string[];
  }
}

/**
 * One in-memory DynamoDB Local per worker for the whole run; every test file makes its own tables in its worker's.
 * DynamoDB Local keeps all tables of a -sharedDb store in one SQLite database whose writes take turns: with one store
 * for the run, a file that hammers it (create-job-races, fan-out) made a sequential file in the other worker wait on
 * each request, 6.5 s quiet became over 60 s. Separate stores leave the two workers to share only the CPU.
 */
export default async function setup(project: TestProject) {
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startEmbeddedDynamoDb()));
  const stores = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stopAll = () => Promise.all(stores.map((store) => store.stop())).then(() => undefined);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  project.provide(
    'dynamoEndpoints',
    stores.map((store) => store.endpoint),
  );
  return stopAll;
}
