import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/data/dynamo-client';
import { createTableInput, JOBS_TABLE } from '../../lambdas/data/table-design';
import { ensureJobsTable } from '../../local/tables';

describe('ensureJobsTable', () => {
  it('adds the deadline index to a table made by an older version, keeping its data directory usable', async () => {
    const client = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const tableName = `old-${randomUUID()}`;
    const { GlobalSecondaryIndexes: _none, ...older } = createTableInput(tableName);
    await client.send(new CreateTableCommand({ ...older, AttributeDefinitions: older.AttributeDefinitions.filter((a) => a.AttributeName !== 'timerShard' && a.AttributeName !== 'deadlineAt') }));

    await ensureJobsTable(client, tableName);
    await ensureJobsTable(client, tableName); // and again: nothing left to add

    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([JOBS_TABLE.deadlineIndex.name]);
    client.destroy();
  });
});
