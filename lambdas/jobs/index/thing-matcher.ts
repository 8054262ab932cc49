import { checkFields, matchesDocument } from './document-matcher';
import type { IndexQuery } from './index-query';

/** What the things index (AWS_Things) holds of one thing, and the matcher of one thing. */
export interface ThingDocumentFields {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  /** The groups the thing is a member of. */
  thingGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
}

const THING_FIELDS = ['thingName', 'thingId', 'thingTypeName', 'thingGroupNames'] as const;

/** Refused (InvalidQueryException): a field the things index does not hold. */
export const checkThingFields = (query: IndexQuery): IndexQuery => checkFields(query, 'AWS_Things', THING_FIELDS);

export function matchesThing(query: IndexQuery, thing: ThingDocumentFields): boolean {
  return matchesDocument(query, {
    names: {
      thingName: [thing.thingName],
      thingId: [thing.thingId],
      thingTypeName: thing.thingTypeName !== undefined ? [thing.thingTypeName] : [],
      thingGroupNames: thing.thingGroupNames,
    },
    texts: {},
    attributes: thing.attributes,
  });
}
