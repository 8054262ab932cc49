import {
  checkIndexingUpdate,
  DEFAULT_INDEXING_CONFIGURATION,
  type IndexingConfiguration,
  type IndexingConfigurationUpdate,
} from './indexing-configuration';
import type { IndexingConfigurationStore } from './store';

/** Fleet indexing: its configuration, and (search.ts) the searches of the indexes it turns on. */
export class FleetIndexing {
  constructor(private readonly store: IndexingConfigurationStore) {}

  /** The configuration in force: AWS's default until the first update. */
  async getIndexingConfiguration(): Promise<IndexingConfiguration> {
    return (await this.store.getConfiguration()) ?? DEFAULT_INDEXING_CONFIGURATION;
  }

  async updateIndexingConfiguration(update: IndexingConfigurationUpdate): Promise<Record<string, never>> {
    await this.store.updateConfiguration(checkIndexingUpdate(update));
    return {};
  }
}
