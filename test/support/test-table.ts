import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '../../lambdas/data/dynamo-client';
import { ensureJobsTable } from '../../local/tables';

export interface TestTable {
  tableName: string;
  endpoint: string;
  client: DynamoDBDocumentClient;
  /** Names of the DynamoDB commands sent through `client`, in order. */
  commands: string[];
}

/** A fresh jobs table (from the shared definition) in the run's DynamoDB Local, and a client that records what it sends. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `jobs-${randomUUID()}`;
  const client = createDocumentClient({ endpoint });
  await ensureJobsTable(client, tableName);
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { tableName, endpoint, client, commands };
}
