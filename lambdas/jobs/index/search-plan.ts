import { exactValueOf, literalPrefixOf } from './document-matcher';
import { type IndexQuery, requiredTermsOf } from './index-query';

/**
 * Which keyed read a things search stands on: the narrowest one a term every match must satisfy allows. The matcher
 * still tests every thing read, so the read only has to hold all the matches, never only them.
 */
export type ThingAccess =
  /** `thingName:x`: one GetItem. */
  | { kind: 'thing'; thingName: string }
  /** `thingGroupNames:g`: the group's members, from its list in the registry index. */
  | { kind: 'group'; thingGroupName: string }
  /** `thingName:prefix*`: the registry's list of things, from the prefix on. */
  | { kind: 'prefix'; prefix: string }
  /** Nothing keyed: the registry's list of things, a bounded read per page. */
  | { kind: 'all' };

export function planThingSearch(query: IndexQuery): ThingAccess {
  const required = requiredTermsOf(query);
  const thingName = required.map((t) => (t.field === 'thingName' ? exactValueOf(t.test) : undefined)).find(Boolean);
  if (thingName !== undefined) return { kind: 'thing', thingName };
  const group = required.map((t) => (t.field === 'thingGroupNames' ? exactValueOf(t.test) : undefined)).find(Boolean);
  if (group !== undefined) return { kind: 'group', thingGroupName: group };
  const prefix = required.map((t) => (t.field === 'thingName' ? literalPrefixOf(t.test) : undefined)).find(Boolean);
  if (prefix !== undefined) return { kind: 'prefix', prefix };
  return { kind: 'all' };
}

/** Does matching need each thing's groups (read per thing), or are they read only for the things a page returns? */
export function needsGroupNames(query: IndexQuery): boolean {
  const visit = (q: IndexQuery): boolean =>
    q.kind === 'term'
      ? q.field === undefined || q.field === 'thingGroupNames'
      : q.kind === 'not'
        ? visit(q.part)
        : q.parts.some(visit);
  return visit(query);
}

/** Which keyed read a thing groups search stands on. */
export type GroupAccess =
  /** `thingGroupName:x`: one GetItem. */
  | { kind: 'group'; thingGroupName: string }
  /** `thingGroupName:prefix*`, or nothing keyed (an empty prefix): the registry's list of groups. */
  | { kind: 'prefix'; prefix: string };

export function planGroupSearch(query: IndexQuery): GroupAccess {
  const named = requiredTermsOf(query).filter((t) => t.field === 'thingGroupName');
  const exact = named.map((t) => exactValueOf(t.test)).find((name) => name !== undefined);
  if (exact !== undefined) return { kind: 'group', thingGroupName: exact };
  return { kind: 'prefix', prefix: named.map((t) => literalPrefixOf(t.test)).find(Boolean) ?? '' };
}
