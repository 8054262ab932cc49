import type { Page, PageQuery } from '../shared/ports';
import type { IndexingConfiguration, IndexingConfigurationUpdate } from './indexing-configuration';
import type { ThingAccess } from './search-plan';
import type { ThingDocumentFields } from './thing-matcher';

/** The indexing configuration's port: one item, absent until the first update (then AWS's default holds). */
export interface IndexingConfigurationStore {
  getConfiguration(): Promise<IndexingConfiguration | undefined>;
  /** The halves given replace the stored ones; the others stay (or take the default, on the first update). */
  updateConfiguration(update: IndexingConfigurationUpdate): Promise<void>;
}

/** The things index's port: a page of the things one keyed read holds that `matches` keeps, with their groups. */
export interface ThingSearchStore {
  searchThings(search: ThingSearch, page: PageQuery): Promise<Page<ThingDocumentFields>>;
}

export interface ThingSearch {
  access: ThingAccess;
  matches: (thing: ThingDocumentFields) => boolean;
  /** Read each thing's groups before matching (the query names groups); else only for the things kept. */
  groupsBeforeMatching: boolean;
  /** What a nextToken of this search must name: a token of another search is refused. */
  list: string;
}
