import type { Page, PageQuery } from '../shared/ports';
import type { ConnectivityEvent } from './connectivity';
import type { ThingGroupDocumentFields } from './group-matcher';
import type { IndexingConfiguration, IndexingConfigurationUpdate } from './indexing-configuration';
import type { GroupAccess, ThingAccess } from './search-plan';
import type { ThingDocumentFields } from './thing-matcher';

/** The indexing configuration's port: one item, absent until the first update (then AWS's default holds). */
export interface IndexingConfigurationStore {
  getConfiguration(): Promise<IndexingConfiguration | undefined>;
  /**
   * The halves given replace the stored ones; the others stay (or take the default, on the first update). With
   * `withoutDynamicGroups`, only while no dynamic thing group exists (checked in the same write): false if one does.
   */
  updateConfiguration(update: IndexingConfigurationUpdate, withoutDynamicGroups: boolean): Promise<boolean>;
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

/** The thing groups index's port: a page of the groups one keyed read holds that `matches` keeps. */
export interface GroupSearchStore {
  searchGroups(search: GroupSearch, page: PageQuery): Promise<Page<ThingGroupDocumentFields>>;
}

export interface GroupSearch {
  access: GroupAccess;
  matches: (group: ThingGroupDocumentFields) => boolean;
  /** What a nextToken of this search must name. */
  list: string;
}

/**
 * Connectivity's port: kept on the thing's own item, so a search reads it with the thing (no read more) and it goes
 * with the thing when the thing is deleted.
 */
export interface ConnectivityStore {
  /**
   * One write: the event, on the thing of that name if one is registered (AWS indexes connectivity for a client ID that
   * is a registered thing's name) and nothing newer is recorded; otherwise nothing.
   */
  recordConnectivity(thingName: string, event: ConnectivityEvent): Promise<void>;
  /** The thing's last event (undefined: none yet), or undefined for the thing itself where no thing has that name. */
  getConnectivity(thingName: string): Promise<{ recorded?: ConnectivityEvent } | undefined>;
}
