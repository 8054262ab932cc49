import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { createTableInput, JOBS_TABLE } from '../../lambdas/store/table/table-design';
import { ensureJobsTable } from '../../local/dynamodb/tables';
import { sharedDynamoEndpoint } from '../support/dynamodb-endpoint';

describe('ensureJobsTable', () => {
  it('adds the global indexes and the stream to a table made by an older version, keeping its data directory usable', async () => {
    const client = createDocumentClient({ endpoint: sharedDynamoEndpoint() });
    const tableName = `old-${randomUUID()}`;
    // The table as the first release made it: keys and the pending LSI, no global indexes, no stream.
    const { GlobalSecondaryIndexes: _none, StreamSpecification: _stream, ...older } = createTableInput(tableName);
    await client.send(
      new CreateTableCommand({
        ...older,
        AttributeDefinitions: older.AttributeDefinitions.filter((a) =>
          ['pk', 'sk', 'pendingKey'].includes(a.AttributeName),
        ),
      }),
    );

    await ensureJobsTable(client, tableName);
    await ensureJobsTable(client, tableName); // and again: nothing left to add

    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      [
        JOBS_TABLE.deadlineIndex.name,
        JOBS_TABLE.jobExecutionsIndex.name,
        JOBS_TABLE.jobListIndex.name,
        JOBS_TABLE.registryIndex.name,
      ].sort(),
    );
    expect(table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    client.destroy();
  });
});
