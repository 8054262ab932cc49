/**
 * The pieces of a fleet indexing query that the pre-pass (query-rewrite.ts) moves around: whitespace, parentheses,
 * quoted text, ranges and words. It only cuts the text where AWS's syntax does; joined again, the tokens are the query
 * as written. What the pieces mean, and whether they make a query, is liqe's to say.
 */
export type Token =
  | { kind: 'space'; text: string }
  | { kind: 'open'; text: '(' }
  | { kind: 'close'; text: ')' }
  /** `"…"` or `'…'`, quotes included (backslash escapes kept as written). */
  | { kind: 'quoted'; text: string }
  /** `[… TO …]`, `{… TO …}` or one of each, brackets included. */
  | { kind: 'range'; text: string }
  /** Anything else up to whitespace, a parenthesis, a quote or a range: `thingName:a*`, `-x<3`, `AND`, `abc\-1`. */
  | { kind: 'word'; text: string };

const SPACE = /\s/;
const WORD_END = /[\s()"'[{]/;

export function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const start = i;
    if (SPACE.test(c)) {
      while (i < query.length && SPACE.test(query[i]!)) i++;
      tokens.push({ kind: 'space', text: query.slice(start, i) });
    } else if (c === '(' || c === ')') {
      i++;
      tokens.push(c === '(' ? { kind: 'open', text: c } : { kind: 'close', text: c });
    } else if (c === '"' || c === "'") {
      i = quotedEnd(query, i);
      tokens.push({ kind: 'quoted', text: query.slice(start, i) });
    } else if (c === '[' || c === '{') {
      i++;
      while (i < query.length && query[i] !== ']' && query[i] !== '}')
        i = query[i] === '"' || query[i] === "'" ? quotedEnd(query, i) : i + 1;
      i = Math.min(i + 1, query.length);
      tokens.push({ kind: 'range', text: query.slice(start, i) });
    } else {
      // A backslash takes the character after it into the word, whatever it is (`a\ b`, `a\(b`, `a\:b`).
      while (i < query.length && !WORD_END.test(query[i]!)) i += query[i] === '\\' ? 2 : 1;
      i = Math.min(i, query.length);
      tokens.push({ kind: 'word', text: query.slice(start, i) });
    }
  }
  return tokens;
}

/** Where the quoted text starting at `from` ends (after its closing quote; the end of the query if it has none). */
function quotedEnd(query: string, from: number): number {
  const quote = query[from];
  let i = from + 1;
  while (i < query.length && query[i] !== quote) i += query[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, query.length);
}
