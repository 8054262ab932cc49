import { afterAll } from 'vitest';

/**
 * Every table a test file made (test-table.ts keeps them on the file's
 * globals) is dropped when the file is done, so its worker's DynamoDB Local
 * holds only what the files running now need: a store that grows with every
 * file slows the files that come late. Files that make no table load nothing.
 */
afterAll(async () => {
  const undropped = (globalThis as { undroppedTestTables?: Set<{ drop(): Promise<void> }> }).undroppedTestTables;
  for (const table of [...(undropped ?? [])]) await table.drop().catch(() => undefined);
});
