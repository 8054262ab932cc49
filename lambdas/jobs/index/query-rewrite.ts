import { InvalidQueryException } from '../shared/errors';
import { numberOf } from './document-matcher';
import type { ValueTest } from './index-query';
import { lex, type Token } from './query-lexer';

/**
 * The pre-pass that makes liqe read AWS's query syntax: token by token, the parts of AWS's syntax liqe's grammar has no
 * rule for are rewritten into parts it has, and liqe still judges the query's structure (a rewrite never makes a broken
 * query parse). Each step is a difference between the two syntaxes:
 * - comparisons: AWS writes `x<5` and `x < 5`, liqe `x:<5`;
 * - field grouping: AWS takes `thingName:(a OR -b)`, liqe does not; the field is written on each term inside instead,
 *   `(thingName:a OR -thingName:b)`, which is what Lucene's field grouping means; `-( … )` is written `NOT ( … )`;
 * - ranges (liqe reads numeric bounds only) and backslash escapes (liqe reads none) are parsed here into the test they
 *   ask for, set aside, and stand in liqe's text as a quoted marker (`x:"\u00010"`) that query-parser.ts swaps back.
 */
export interface LiqeQueryText {
  text: string;
  /** The tests the markers in `text` stand for, by number. */
  setAside: ValueTest[];
}

/** Starts the quoted marker of a set-aside test; a query that holds it is refused, so a marker is always ours. */
export const SET_ASIDE_MARK = '\u0001';

const OPERATOR_WORDS = new Set(['AND', 'OR', 'NOT']);
/** A field's name, as the patterns below read it (after any `+`/`-` signs). */
const NAME = String.raw`[A-Za-z_$][\w$.-]*`;
const COMPARISON = '(<=|>=|<|>)';
const FIELD_HEAD = new RegExp(`^([+-]*)(${NAME}):$`);
const FIELD_BEFORE_COMPARISON = new RegExp(`^([+-]*)(${NAME})${COMPARISON}`);
const ENDS_IN_COMPARISON = new RegExp(`^[+-]*${NAME}:?${COMPARISON}$`);
const FIELD_NAME = new RegExp(`^[+-]*(${NAME}):?$`);

const refuse = (why: string) => new InvalidQueryException(`queryString: ${why}`);

export function toLiqeSyntax(query: string): LiqeQueryText {
  if (query.includes(SET_ASIDE_MARK)) throw refuse('holds a control character');
  const tokens = lex(query);
  joinSpacedComparisons(tokens);
  for (const t of tokens) if (t.kind === 'word') t.text = t.text.replace(FIELD_BEFORE_COMPARISON, '$1$2:$3');
  distributeFieldGroups(tokens);
  // Lucene takes `-( … )` for NOT; liqe takes `-` before a term only.
  tokens.forEach((t, i) => {
    if (t.kind === 'word' && t.text === '-' && tokens[i + 1]?.kind === 'open') t.text = 'NOT ';
  });
  const setAside: ValueTest[] = [];
  const mark = (test: ValueTest) => `"${SET_ASIDE_MARK}${setAside.push(test) - 1}"`;
  for (const t of tokens) {
    if (t.kind === 'range') t.text = mark(rangeTest(t.text));
    else if (t.kind === 'word' && t.text.includes('\\')) t.text = markEscapedWord(t.text, mark);
  }
  return { text: tokens.map((t) => t.text).join(''), setAside };
}

const isOperator = (t: Token | undefined) => t?.kind === 'word' && OPERATOR_WORDS.has(t.text);
const isFieldName = (text: string) => {
  const name = FIELD_NAME.exec(text)?.[1];
  return name !== undefined && !OPERATOR_WORDS.has(name);
};

/** `x < 5`, `x <5`, `x< 5`, `x:< 5` are `x<5`: the spaces around a comparison's operator go. */
function joinSpacedComparisons(tokens: Token[]) {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const [space, next] = [tokens[i + 1], tokens[i + 2]];
    if (space?.kind === 'space' && next?.kind === 'word' && isFieldName(t.text) && /^:?[<>]/.test(next.text)) {
      if (!(t.text.endsWith(':') && next.text.startsWith(':'))) {
        t.text += next.text;
        tokens.splice(i + 1, 2);
      }
    }
    const [space2, value] = [tokens[i + 1], tokens[i + 2]];
    const valueFollows = value?.kind === 'quoted' || (value?.kind === 'word' && !isOperator(value));
    if (space2?.kind === 'space' && valueFollows && ENDS_IN_COMPARISON.test(t.text)) {
      t.text += value.text;
      tokens.splice(i + 1, 2);
    }
  }
}

/** `f:( … )` becomes `( … )` with `f:` written on each term inside that names no field of its own. */
function distributeFieldGroups(tokens: Token[]) {
  for (let i = 0; i < tokens.length; i++) {
    const head = tokens[i]!;
    const match = head.kind === 'word' && tokens[i + 1]?.kind === 'open' ? FIELD_HEAD.exec(head.text) : null;
    if (!match) continue;
    head.text = match[1]!;
    let depth = 0;
    for (let j = i + 2; j < tokens.length && depth >= 0; j++) {
      const t = tokens[j]!;
      if (t.kind === 'open') depth++;
      else if (t.kind === 'close') depth--;
      else if (t.kind === 'word' && FIELD_HEAD.test(t.text) && tokens[j + 1]?.kind === 'open') {
        j = closeOf(tokens, j + 1); // a group of its own field: left for its own turn
      } else if (t.kind === 'word' && !isOperator(t) && !/^[+-]*$/.test(t.text) && fieldOf(t.text) === undefined) {
        const sign = /^[+-]*/.exec(t.text)![0];
        t.text = `${sign}${match[2]}:${t.text.slice(sign.length)}`;
      } else if ((t.kind === 'quoted' || t.kind === 'range') && !endsInField(tokens[j - 1])) {
        tokens.splice(j, 0, { kind: 'word', text: `${match[2]}:` });
        j++;
      }
    }
  }
}

/** The index of the parenthesis that closes the one at `open` (the end, if none does). */
function closeOf(tokens: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.kind === 'open') depth++;
    else if (tokens[j]!.kind === 'close' && --depth === 0) return j;
  }
  return tokens.length;
}

/** A word that ends where its value starts (`f:`, `f:<`): the quoted text or range after it is its value. */
const endsInField = (t: Token | undefined) => t?.kind === 'word' && /[:<>=]$/.test(t.text);

/** The field a word names before an unescaped colon, if it names one. */
function fieldOf(word: string): string | undefined {
  const colon = unescapedColon(word);
  if (colon < 0) return undefined;
  const name = word.slice(0, colon).replace(/^[+-]*/, '');
  if (name.includes('\\')) throw refuse(`${name}: a backslash escapes a character of a value, never of a field`);
  return name || undefined;
}

function unescapedColon(word: string): number {
  for (let i = 0; i < word.length; i += word[i] === '\\' ? 2 : 1) if (word[i] === ':') return i;
  return -1;
}

const BOUND = String.raw`"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|(?:\\.|[^\s\]}\\])+`;
const RANGE = new RegExp(String.raw`^([[{])\s*(${BOUND})\s+TO\s+(${BOUND})\s*([\]}])$`);

/**
 * `[min TO max]` (bounds in), `{min TO max}` (bounds out), or one of each. Two unquoted numbers make a numeric range,
 * which takes numbers only; any other bounds (quoted, or text) make the pair of comparisons `>=min AND <=max`.
 */
function rangeTest(text: string): ValueTest {
  const match = RANGE.exec(text);
  if (!match) throw refuse(`${text} is not a range: write [min TO max], with { } for bounds left out`);
  const [, open, low, high, close] = match as unknown as [string, string, string, string, string];
  const [minInclusive, maxInclusive] = [open === '[', close === ']'];
  if (low === '*' || high === '*') throw refuse(`${text}: a range needs both bounds (write x>=min or x<=max)`);
  const [min, max] = [numberOf(low), numberOf(high)];
  if (min !== undefined && max !== undefined) return { kind: 'range', min, max, minInclusive, maxInclusive };
  return { kind: 'between', min: boundOf(low), max: boundOf(high), minInclusive, maxInclusive };
}

const boundOf = (bound: string) =>
  /^["']/.test(bound) ? bound.slice(1, -1).replace(/\\(.)/gs, '$1') : unescaped(bound).text;

/** A word with backslash escapes, its value's test set aside: `thingName:abc\-1`, `x>a\:b`, `a\ b*`. */
function markEscapedWord(word: string, mark: (test: ValueTest) => string): string {
  const field = fieldOf(word);
  const sign = /^[+-]*/.exec(word)![0];
  const afterField = field === undefined ? word.slice(sign.length) : word.slice(unescapedColon(word) + 1);
  const operator = /^(<=|>=|<|>)?/.exec(afterField)![0] as '' | '<' | '<=' | '>' | '>=';
  const value = unescaped(afterField.slice(operator.length));
  let test: ValueTest;
  if (operator) test = { kind: 'compare', operator, value: value.text };
  else if (!value.wildcards) test = { kind: 'text', text: value.text, quoted: true };
  else if (!value.escapedWildcards) test = { kind: 'text', text: value.text, quoted: false };
  // No indexed name or value holds * or ?, and a test that needs both kinds of star has no way to be written.
  else throw refuse(`${word} mixes escaped and unescaped wildcards`);
  return `${sign}${field === undefined ? '' : `${field}:`}${mark(test)}`;
}

/** A value as written, its escapes taken out: `\x` is the character x, never a wildcard or an operator. */
function unescaped(written: string): { text: string; wildcards: boolean; escapedWildcards: boolean } {
  let [text, wildcards, escapedWildcards] = ['', false, false];
  for (let i = 0; i < written.length; i++) {
    const c = written[i]!;
    if (c !== '\\') {
      wildcards ||= c === '*' || c === '?';
      text += c;
    } else if (i + 1 < written.length) {
      const escaped = written[++i]!;
      escapedWildcards ||= escaped === '*' || escaped === '?';
      text += escaped;
    } else throw refuse(`${written} ends in a backslash, which escapes nothing`);
  }
  return { text, wildcards, escapedWildcards };
}
