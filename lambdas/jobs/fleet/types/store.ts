import type { Page, PageQuery } from '../../shared/ports';
import type { ThingTypeProperties, ThingTypeRecord } from './thing-type';

/** A conditional write of a thing type: applied, or refused with the type as it stood (none: there is no such type). */
export type ThingTypeWriteOutcome = { applied: true } | { applied: false; current?: ThingTypeRecord };

/** The thing types' port: one item per type, with its count of things. */
export interface ThingTypeStore {
  /** Written only if no type of that name exists; refused with the one that does. */
  createType(type: ThingTypeRecord): Promise<ThingTypeWriteOutcome>;
  getType(thingTypeName: string): Promise<ThingTypeRecord | undefined>;
  /** By name; with a prefix, only the names that start with it. Absent on the last page, the next token. */
  listTypes(namePrefix: string | undefined, page: PageQuery): Promise<Page<ThingTypeRecord>>;
  /**
   * Deprecated as of `now` (a type deprecated already keeps its first date), or with `now` undefined no longer
   * deprecated; false if there is no such type.
   */
  setDeprecated(thingTypeName: string, now: number | undefined): Promise<boolean>;
  /** The properties given replace the type's, the others stay; false if there is no such type. */
  updateProperties(thingTypeName: string, properties: ThingTypeProperties): Promise<boolean>;
  /**
   * Deleted only if deprecated at or before `deprecatedBy` and no thing is of it; refused with the type as it stands
   * (none: there is no such type).
   */
  deleteType(thingTypeName: string, deprecatedBy: number): Promise<ThingTypeWriteOutcome>;
}
