import { InvalidQueryException } from '../shared/errors';
import { type IndexQuery, termsOf, type ValueTest } from './index-query';

/**
 * Does one indexed document (a thing, a thing group) match a parsed query? A pure function of the two, so a search
 * filters a page with it and a dynamic group's upkeep (later) tests one changed thing against each group's query,
 * never the fleet.
 *
 * Names are matched as the registry keys them, case and all: two things whose names differ in case are two things.
 * Attribute values, free text and bare terms are matched without regard to case, as AWS documents its search.
 */
export interface IndexDocument {
  /** Name fields (each with its values), matched case and all. */
  names: Readonly<Record<string, readonly string[]>>;
  /** Free-text fields, matched without regard to case. */
  texts: Readonly<Record<string, readonly string[]>>;
  attributes: Readonly<Record<string, string>>;
  /** Fields matched only where a term names them, case and all (a bare term does not look at them): connectivity. */
  keywords?: Readonly<Record<string, readonly string[]>>;
}

const ATTRIBUTE_PREFIX = 'attributes.';

/** Refused: a field the index does not hold (shadows, connectivity, violations are not indexed here). */
export function checkFields(query: IndexQuery, indexName: string, fields: readonly string[]): IndexQuery {
  for (const { field } of termsOf(query)) {
    if (field === undefined || fields.includes(field)) continue;
    if (field.startsWith(ATTRIBUTE_PREFIX) && field.length > ATTRIBUTE_PREFIX.length) continue;
    throw new InvalidQueryException(
      `queryString: ${field} is not a field of the ${indexName} index (it holds ${fields.join(', ')} and attributes.<name>)`,
    );
  }
  return query;
}

export function matchesDocument(query: IndexQuery, doc: IndexDocument): boolean {
  switch (query.kind) {
    case 'and':
      return query.parts.every((part) => matchesDocument(part, doc));
    case 'or':
      return query.parts.some((part) => matchesDocument(part, doc));
    case 'not':
      return !matchesDocument(query.part, doc);
    case 'term': {
      const { field, test } = query;
      if (field === undefined) {
        if (test.kind === 'exists') return true;
        const names = Object.values(doc.names).flat();
        const texts = [...Object.values(doc.texts).flat(), ...Object.values(doc.attributes)];
        return names.some((name) => passes(test, name, true)) || texts.some((text) => passes(test, text, false));
      }
      if (field.startsWith(ATTRIBUTE_PREFIX)) {
        const name = field.slice(ATTRIBUTE_PREFIX.length);
        return Object.hasOwn(doc.attributes, name) && passes(test, doc.attributes[name]!, false);
      }
      if (doc.keywords && Object.hasOwn(doc.keywords, field))
        return doc.keywords[field]!.some((value) => passes(test, value, true));
      if (Object.hasOwn(doc.names, field)) return doc.names[field]!.some((value) => passes(test, value, true));
      return Object.hasOwn(doc.texts, field) && doc.texts[field]!.some((value) => passes(test, value, false));
    }
  }
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
    case 'between': {
      const [aboveMin, belowMax] = [orderOf(value, test.min), orderOf(value, test.max)];
      return (test.minInclusive ? aboveMin >= 0 : aboveMin > 0) && (test.maxInclusive ? belowMax <= 0 : belowMax < 0);
    }
    case 'compare': {
      const order = orderOf(value, test.value);
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

/** A value's order against a bound: as numbers when both are written as numbers, else as text by code unit. */
function orderOf(value: string, bound: string): number {
  const [a, b] = [numberOf(value), numberOf(bound)];
  return a !== undefined && b !== undefined ? a - b : compareText(value, bound);
}

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
