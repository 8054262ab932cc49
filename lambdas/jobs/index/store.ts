import type { IndexingConfiguration, IndexingConfigurationUpdate } from './indexing-configuration';

/** The indexing configuration's port: one item, absent until the first update (then AWS's default holds). */
export interface IndexingConfigurationStore {
  getConfiguration(): Promise<IndexingConfiguration | undefined>;
  /** The halves given replace the stored ones; the others stay (or take the default, on the first update). */
  updateConfiguration(update: IndexingConfigurationUpdate): Promise<void>;
}
