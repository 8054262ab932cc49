import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_INDEXING_CONFIGURATION,
  type IndexingConfiguration,
  type IndexingConfigurationUpdate,
} from '../../jobs/index/indexing-configuration';
import type { IndexingConfigurationStore } from '../../jobs/index/store';
import { keys } from '../table/keys';
import { backOff, TableAccess } from '../table/table-access';
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

/**
 * No dynamic thing group exists: their count (dynamic-group-items.ts) is absent or zero. A creation checks the index
 * on in its own transaction, so one cannot slip in between this check and the update it guards.
 */
const CONFLICT_ATTEMPTS = 8;
const NO_DYNAMIC_GROUPS = {
  Key: keys.dynamicGroupCount,
  ConditionExpression: 'attribute_not_exists(dynamicGroups) OR dynamicGroups <= :none',
  ExpressionAttributeValues: { ':none': 0 },
};

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

  async updateConfiguration(update: IndexingConfigurationUpdate, withoutDynamicGroups: boolean): Promise<boolean> {
    if (!withoutDynamicGroups) {
      await this.access.update(updateIndexingParams(update));
      return true;
    }
    // Done again while it only met other writes (a creation's check of this item): only the count refuses it.
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.access.transactWrite([
        { Update: updateIndexingParams(update) },
        { ConditionCheck: NO_DYNAMIC_GROUPS },
      ]);
      if (outcome.applied) return true;
      if (outcome.reasons.includes('ConditionalCheckFailed')) return false;
      if (attempt === CONFLICT_ATTEMPTS) throw new Error(`The indexing configuration kept meeting other writes`);
      await backOff(attempt);
    }
  }
}
