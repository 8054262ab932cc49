import type { PageQuery } from '../shared/ports';
import type { AttributeFilter } from './thing';

/** The registry operations' inputs, validated (api/requests parses them). */

export interface ThingNameInput {
  thingName: string;
}

export interface CreateThingInput {
  thingName: string;
  attributes: Record<string, string>;
}

export interface ListThingsInput extends PageQuery {
  attributeFilter?: AttributeFilter;
  /** There are no thing types here: a filter by one lists nothing. */
  thingTypeName?: string;
}

export interface UpdateThingInput {
  thingName: string;
  /** Absent: the attributes stay as they are (the version still moves, as AWS does). */
  attributes?: Record<string, string>;
  merge: boolean;
  expectedVersion?: number;
}

export interface DeleteThingInput {
  thingName: string;
  expectedVersion?: number;
}
