import { checkFields, matchesDocument } from './document-matcher';
import type { IndexQuery } from './index-query';

/** What the thing groups index (AWS_ThingGroups) holds of one group, and the matcher of one group. */
export interface ThingGroupDocumentFields {
  thingGroupName: string;
  thingGroupId: string;
  thingGroupDescription?: string;
  /** Every group above it, from the root of its tree down to its parent. */
  parentGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
}

const GROUP_FIELDS = ['thingGroupName', 'thingGroupId', 'thingGroupDescription', 'parentGroupNames'] as const;

/** Refused (InvalidQueryException): a field the thing groups index does not hold. */
export const checkGroupFields = (query: IndexQuery): IndexQuery => checkFields(query, 'AWS_ThingGroups', GROUP_FIELDS);

export function matchesGroup(query: IndexQuery, group: ThingGroupDocumentFields): boolean {
  return matchesDocument(query, {
    names: {
      thingGroupName: [group.thingGroupName],
      thingGroupId: [group.thingGroupId],
      parentGroupNames: group.parentGroupNames,
    },
    texts: { thingGroupDescription: group.thingGroupDescription !== undefined ? [group.thingGroupDescription] : [] },
    attributes: group.attributes,
  });
}
