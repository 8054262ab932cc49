import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '../../lambdas/store/table/table-design';

async function describe(client: DynamoDBDocumentClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Creates the jobs table from the shared definition, or brings an existing one
 * (a data directory from an older version) up to it by adding the global
 * indexes it lacks, so local data survives upgrades.
 */
export async function ensureJobsTable(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ created: boolean }> {
  const wanted = createTableInput(tableName);
  const existing = await describe(client, tableName);
  if (!existing) {
    await client.send(new CreateTableCommand(wanted));
    return { created: true };
  }
  if (!existing.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: wanted.StreamSpecification }),
    );
  }
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of wanted.GlobalSecondaryIndexes.filter((i) => !present.has(i.IndexName))) {
    const attributes = new Set<string>(index.KeySchema.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions.filter((a) => attributes.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
  return { created: false };
}
