import { InvalidQueryException } from '../shared/errors';
import { CONNECTIVITY_FIELDS, connectivityFields, type ThingConnectivity } from './connectivity';
import { checkFields, matchesDocument } from './document-matcher';
import { type IndexQuery, termsOf } from './index-query';

/** What the things index (AWS_Things) holds of one thing, and the matcher of one thing. */
export interface ThingDocumentFields {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  /** The groups the thing is a member of. */
  thingGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
  /** As the local broker recorded it (never connected: `{ connected: false }`); absent where it is not read. */
  connectivity?: ThingConnectivity;
}

const THING_FIELDS = ['thingName', 'thingId', 'thingTypeName', 'thingGroupNames'] as const;

/**
 * Refused (InvalidQueryException): a field the things index does not hold. The connectivity fields are its fields
 * only where connectivity can be indexed (SearchIndex; a dynamic group's upkeep does not follow them).
 */
export const checkThingFields = (query: IndexQuery, withConnectivity = false): IndexQuery =>
  checkFields(query, 'AWS_Things', withConnectivity ? [...THING_FIELDS, ...CONNECTIVITY_FIELDS] : THING_FIELDS);

/** The first connectivity field the query names, if any. */
export const connectivityFieldOf = (query: IndexQuery): string | undefined =>
  termsOf(query).find((term) => term.field !== undefined && CONNECTIVITY_FIELDS.includes(term.field))?.field;

/** Refused (InvalidQueryException): a query on connectivity while connectivity is not indexed. */
export function checkConnectivityIndexed(query: IndexQuery, indexed: boolean): void {
  const field = connectivityFieldOf(query);
  if (field !== undefined && !indexed)
    throw new InvalidQueryException(
      `queryString: ${field} is not indexed: turn on thingConnectivityIndexingMode STATUS with UpdateIndexingConfiguration`,
    );
}

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
    ...(thing.connectivity ? { keywords: connectivityFields(thing.connectivity) } : {}),
  });
}
