import { InvalidQueryException } from '../shared/errors';
import { type IndexQuery, termsOf, type ValueTest } from './index-query';

/**
 * Does one thing match a parsed query? A pure function of the two, so a search filters a page with it and a dynamic
 * group's upkeep (later) tests one changed thing against each group's query, never the fleet.
 *
 * Names (thingName, thingId, thingTypeName, thingGroupNames) are matched as the registry keys them, case and all: two
 * things whose names differ in case are two things. Attribute values and bare terms are matched without regard to case,
 * as AWS documents its search.
 */

/** What the things index holds of one thing. */
export interface ThingDocumentFields {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  /** The groups the thing is a member of. */
  thingGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
}

const NAME_FIELDS = ['thingName', 'thingId', 'thingTypeName', 'thingGroupNames'] as const;
const ATTRIBUTE_PREFIX = 'attributes.';

/** Refused: a field the things index does not hold (shadows, connectivity, violations are not indexed here). */
export function checkThingFields(query: IndexQuery): IndexQuery {
  for (const { field } of termsOf(query)) {
    if (field === undefined || (NAME_FIELDS as readonly string[]).includes(field)) continue;
    if (field.startsWith(ATTRIBUTE_PREFIX) && field.length > ATTRIBUTE_PREFIX.length) continue;
    throw new InvalidQueryException(
      `queryString: ${field} is not a field of the things index (it holds ${NAME_FIELDS.join(', ')} and attributes.<name>)`,
    );
  }
  return query;
}

export function matchesThing(query: IndexQuery, thing: ThingDocumentFields): boolean {
  switch (query.kind) {
    case 'and':
      return query.parts.every((part) => matchesThing(part, thing));
    case 'or':
      return query.parts.some((part) => matchesThing(part, thing));
    case 'not':
      return !matchesThing(query.part, thing);
    case 'term': {
      if (query.field === undefined) {
        if (query.test.kind === 'exists') return true;
        const names = namesOf(thing);
        const values = Object.values(thing.attributes);
        return names.some((name) => passes(query.test, name, true)) || values.some((v) => passes(query.test, v, false));
      }
      const caseMatters = !query.field.startsWith(ATTRIBUTE_PREFIX);
      return valuesOf(thing, query.field).some((value) => passes(query.test, value, caseMatters));
    }
  }
}

function namesOf(thing: ThingDocumentFields): string[] {
  return [
    thing.thingName,
    thing.thingId,
    ...(thing.thingTypeName ? [thing.thingTypeName] : []),
    ...thing.thingGroupNames,
  ];
}

function valuesOf(thing: ThingDocumentFields, field: string): readonly string[] {
  if (field === 'thingName') return [thing.thingName];
  if (field === 'thingId') return [thing.thingId];
  if (field === 'thingTypeName') return thing.thingTypeName !== undefined ? [thing.thingTypeName] : [];
  if (field === 'thingGroupNames') return thing.thingGroupNames;
  const name = field.slice(ATTRIBUTE_PREFIX.length);
  return Object.hasOwn(thing.attributes, name) ? [thing.attributes[name]!] : [];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A value read as a number, if it is written as one. */
export const numberOf = (text: string): number | undefined => (NUMBER.test(text) ? Number(text) : undefined);

/** One value against one term's test. */
export function passes(test: ValueTest, value: string, caseMatters: boolean): boolean {
  switch (test.kind) {
    case 'exists':
      return true;
    case 'text': {
      const [wanted, seen] = caseMatters ? [test.text, value] : [test.text.toLowerCase(), value.toLowerCase()];
      if (test.quoted || !/[*?]/.test(wanted)) return wanted === seen || (!caseMatters && sameNumber(wanted, seen));
      return wildcardPattern(wanted).test(seen);
    }
    case 'range': {
      const n = numberOf(value);
      if (n === undefined) return false;
      const aboveMin = test.minInclusive ? n >= test.min : n > test.min;
      const belowMax = test.maxInclusive ? n <= test.max : n < test.max;
      return aboveMin && belowMax;
    }
    case 'compare': {
      const [a, b] = [numberOf(value), numberOf(test.value)];
      const order = a !== undefined && b !== undefined ? a - b : compareText(value, test.value);
      if (test.operator === '<') return order < 0;
      if (test.operator === '<=') return order <= 0;
      if (test.operator === '>') return order > 0;
      return order >= 0;
    }
  }
}

/** `1.50` and `1.5` are one number: a numeric term matches a numeric value of the same amount. */
function sameNumber(a: string, b: string): boolean {
  const [x, y] = [numberOf(a), numberOf(b)];
  return x !== undefined && x === y;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `*` any run of characters, `?` one; everything else literal. */
export function wildcardPattern(text: string): RegExp {
  const body = [...text]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** A literal prefix a term's test asks a name to start with (`sensor-*`), if it asks exactly that. */
export function literalPrefixOf(test: ValueTest): string | undefined {
  if (test.kind !== 'text' || test.quoted) return undefined;
  const star = test.text.indexOf('*');
  if (star <= 0 || star !== test.text.length - 1 || test.text.includes('?')) return undefined;
  return test.text.slice(0, -1);
}

/** The one value a term's test asks for exactly (no wildcard), if so. */
export function exactValueOf(test: ValueTest): string | undefined {
  if (test.kind !== 'text') return undefined;
  return test.quoted || !/[*?]/.test(test.text) ? test.text : undefined;
}
