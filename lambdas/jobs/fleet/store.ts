import type { Page, PageQuery } from '../shared/ports';
import type { AttributeFilter, ThingRecord } from './thing';

/** A conditional write of a thing: applied, or refused with the thing as it stood (none: there is no such thing). */
export type ThingWriteOutcome = { applied: true; thing: ThingRecord } | { applied: false; current?: ThingRecord };

/** Which things are registered: what CreateJob asks before it targets them. */
export interface ThingDirectory {
  /** Those of `thingNames` that are not registered, in the order given. */
  missingThings(thingNames: readonly string[]): Promise<string[]>;
}

/** The thing registry's port: one item per thing. */
export interface ThingStore extends ThingDirectory {
  /** Written only if no thing of that name exists; refused with the one that does. */
  createThing(thing: ThingRecord): Promise<ThingWriteOutcome>;
  getThing(thingName: string): Promise<ThingRecord | undefined>;
  /** By name; with a filter, only things with that attribute value. */
  listThings(filter: AttributeFilter | undefined, page: PageQuery): Promise<Page<ThingRecord>>;
  /** Its attributes replaced and its version one more, only if it is still at `seenVersion`. */
  updateThing(thingName: string, attributes: Record<string, string>, seenVersion: number): Promise<ThingWriteOutcome>;
  /** Deleted, only at `expectedVersion` if one is given; applied with the thing deleted, or (no such thing) applied with none. */
  deleteThing(thingName: string, expectedVersion: number | undefined): Promise<{ applied: true; thing?: ThingRecord } | { applied: false; current?: ThingRecord }>;
}
