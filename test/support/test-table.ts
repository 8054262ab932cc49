import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { ensureJobsTable } from '../../local/dynamodb/tables';
import { sharedDynamoEndpoint } from './dynamodb-endpoint';

export interface TestTable {
  tableName: string;
  endpoint: string;
  client: DynamoDBDocumentClient;
  /** Names of the DynamoDB commands sent through `client`, in order. */
  commands: string[];
  /** Items each Query examined (its ScannedCount): what the query was billed for. */
  queryItemsScanned: number[];
  /**
   * Records another client's commands here too (the services' own client, through RuntimeConfig.observeDynamoClient).
   */
  observe(client: DynamoDBDocumentClient): void;
  /** Deletes the table: a test of thousands of items leaves its worker's DynamoDB Local as it found it. */
  drop(): Promise<void>;
}

/**
 * The tables this test file made and has not dropped yet: test/support/drop-tables.ts drops them when the file is done
 * (each file has its own globals).
 */
const tableGlobals = globalThis as { undroppedTestTables?: Set<TestTable> };
tableGlobals.undroppedTestTables ??= new Set();
const undroppedTables: Set<TestTable> = tableGlobals.undroppedTestTables;

/**
 * A fresh jobs table (from the shared definition) in its worker's DynamoDB Local, and a client that records what it sends.
 */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = sharedDynamoEndpoint();
  const tableName = `jobs-${randomUUID()}`;
  const client = createDocumentClient({ endpoint });
  await ensureJobsTable(client, tableName);
  const commands: string[] = [];
  const queryItemsScanned: number[] = [];
  const observe = (observed: DynamoDBDocumentClient) =>
    observed.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName).replace(/Command$/, '');
        commands.push(name);
        const result = await next(args);
        if (name === 'Query') queryItemsScanned.push((result.output as { ScannedCount?: number }).ScannedCount ?? 0);
        return result;
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  observe(client);
  const table: TestTable = {
    tableName,
    endpoint,
    client,
    commands,
    queryItemsScanned,
    observe,
    drop: async () => {
      undroppedTables.delete(table);
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
  undroppedTables.add(table);
  return table;
}
