/**
 * A fleet index query once parsed: what the matcher (thing-matcher.ts) evaluates against one thing, and what the search
 * reads to pick the cheapest keyed access. Plain data, so a dynamic group can keep its parsed query.
 */

/** What one term asks of a field's values. */
export type ValueTest =
  /** Equal to the text; unquoted, `*` and `?` are wildcards (any run of characters, one character). */
  | { kind: 'text'; text: string; quoted: boolean }
  /** `field:*`: the field is there (a bare `*`: every thing). */
  | { kind: 'exists' }
  /** `[min TO max]` (inclusive), `{min TO max}` (exclusive), or one of each. */
  | { kind: 'range'; min: number; max: number; minInclusive: boolean; maxInclusive: boolean }
  /** `field<value`, `field>=value`…: numbers compared as numbers, anything else as text. */
  | { kind: 'compare'; operator: '<' | '<=' | '>' | '>='; value: string }
  /** A range with a bound that is not a number (`["abcd" TO "abcf"]`): each bound compared as `compare` does. */
  | { kind: 'between'; min: string; max: string; minInclusive: boolean; maxInclusive: boolean };

export type IndexQuery =
  | { kind: 'and'; parts: IndexQuery[] }
  | { kind: 'or'; parts: IndexQuery[] }
  | { kind: 'not'; part: IndexQuery }
  /** One term; with no field, it matches any field's value. */
  | { kind: 'term'; field?: string; test: ValueTest };

/** Every term of the query, in order. */
export function termsOf(query: IndexQuery): Extract<IndexQuery, { kind: 'term' }>[] {
  switch (query.kind) {
    case 'term':
      return [query];
    case 'not':
      return termsOf(query.part);
    default:
      return query.parts.flatMap(termsOf);
  }
}

/** The terms every match must satisfy (the top-level AND's, not under NOT or OR): what keyed access may stand on. */
export function requiredTermsOf(query: IndexQuery): Extract<IndexQuery, { kind: 'term' }>[] {
  if (query.kind === 'term') return [query];
  if (query.kind === 'and') return query.parts.flatMap(requiredTermsOf);
  return [];
}
