import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_INDEXING_CONFIGURATION,
  type IndexingConfiguration,
  type IndexingConfigurationUpdate,
} from '../../jobs/index/indexing-configuration';
import type { IndexingConfigurationStore } from '../../jobs/index/store';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import type { Item, UpdateParams } from '../table/table-params';

/**
 * The halves given, each set whole; the others untouched. One UpdateItem, so two updates of different halves at the
 * same moment both hold.
 */
export function updateIndexingParams(update: IndexingConfigurationUpdate): UpdateParams {
  const sets: string[] = [];
  const values: Record<string, unknown> = {};
  if (update.thingIndexingConfiguration) {
    sets.push('thingIndexingConfiguration = :things');
    values[':things'] = update.thingIndexingConfiguration;
  }
  if (update.thingGroupIndexingConfiguration) {
    sets.push('thingGroupIndexingConfiguration = :groups');
    values[':groups'] = update.thingGroupIndexingConfiguration;
  }
  return {
    Key: keys.indexingConfiguration,
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeValues: values,
  };
}

/** The stored item, a half never updated taking AWS's default. */
export function fromIndexingItem(item: Item): IndexingConfiguration {
  return {
    thingIndexingConfiguration:
      (item.thingIndexingConfiguration as IndexingConfiguration['thingIndexingConfiguration'] | undefined) ??
      DEFAULT_INDEXING_CONFIGURATION.thingIndexingConfiguration,
    thingGroupIndexingConfiguration:
      (item.thingGroupIndexingConfiguration as IndexingConfiguration['thingGroupIndexingConfiguration'] | undefined) ??
      DEFAULT_INDEXING_CONFIGURATION.thingGroupIndexingConfiguration,
  };
}

/** Fleet indexing's configuration: `CONFIG#INDEXING` / `CONFIG`, read with GetItem. */
export class DynamoIndexingConfigurationStore implements IndexingConfigurationStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async getConfiguration(): Promise<IndexingConfiguration | undefined> {
    // Strongly consistent: a search right after the update that turned the index on finds it on.
    const item = await this.access.get(keys.indexingConfiguration);
    return item ? fromIndexingItem(item) : undefined;
  }

  async updateConfiguration(update: IndexingConfigurationUpdate): Promise<void> {
    await this.access.update(updateIndexingParams(update));
  }
}
