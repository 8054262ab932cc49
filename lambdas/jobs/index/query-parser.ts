import { type LiqeQuery, parse } from 'liqe';
import { InvalidQueryException } from '../shared/errors';
import type { IndexQuery, ValueTest } from './index-query';
import { SET_ASIDE_MARK, toLiqeSyntax } from './query-rewrite';

/**
 * AWS's fleet indexing query syntax (Lucene's, as AWS documents it) parsed by liqe, a maintained Lucene-like query
 * parser, into an IndexQuery. Two passes around it, each for differences between AWS's syntax and liqe's:
 * - before: query-rewrite.ts writes what liqe has no rule for (spaced comparisons, field grouping, ranges of text,
 *   backslash escapes) in terms liqe reads, setting aside the tests of ranges and escaped values;
 * - after: liqe reads AND and OR strictly left to right; the chain is regrouped so AND binds tighter than OR (so
 *   `a OR b AND c` is `a OR (b AND c)`), as in Lucene's precedence parser and most query languages. Parentheses stay.
 */

/** AWS's limit on the terms of one query. */
export const MAX_QUERY_TERMS = 12;

const refuse = (why: string, cause?: unknown) =>
  new InvalidQueryException(`queryString: ${why}`, cause === undefined ? {} : { cause });

export function parseIndexQuery(queryString: string): IndexQuery {
  const { text, setAside } = toLiqeSyntax(queryString);
  let ast: LiqeQuery;
  try {
    ast = parse(text);
  } catch (error) {
    throw refuse(`does not parse (${error instanceof Error ? error.message : 'syntax error'})`, error);
  }
  const query = toQuery(ast, { text, setAside });
  const terms = countTerms(query);
  if (terms > MAX_QUERY_TERMS) throw refuse(`has ${terms} terms; a query may have ${MAX_QUERY_TERMS} at most`);
  return query;
}

function countTerms(query: IndexQuery): number {
  if (query.kind === 'term') return 1;
  if (query.kind === 'not') return countTerms(query.part);
  return query.parts.reduce((n, part) => n + countTerms(part), 0);
}

function toQuery(node: LiqeQuery, text: Read): IndexQuery {
  switch (node.type) {
    case 'Tag':
      return toTerm(node, text);
    case 'UnaryOperator':
      return { kind: 'not', part: toQuery(node.operand as LiqeQuery, text) };
    case 'ParenthesizedExpression':
      if (node.expression.type === 'EmptyExpression') throw refuse('has empty parentheses');
      return toQuery(node.expression as LiqeQuery, text);
    case 'LogicalExpression':
      return regroup(node, text);
    default:
      throw refuse('is empty');
  }
}

/** A left-to-right chain of AND and OR (implicit: AND) as an OR of ANDs. */
function regroup(node: LiqeQuery, text: Read): IndexQuery {
  const operands: LiqeQuery[] = [];
  const operators: ('AND' | 'OR')[] = [];
  const walk = (n: LiqeQuery) => {
    if (n.type !== 'LogicalExpression') return void operands.push(n);
    walk(n.left as LiqeQuery);
    operators.push(n.operator.operator);
    walk(n.right as LiqeQuery);
  };
  walk(node);
  const alternatives: IndexQuery[][] = [[toQuery(operands[0]!, text)]];
  operators.forEach((operator, i) => {
    const next = toQuery(operands[i + 1]!, text);
    if (operator === 'OR') alternatives.push([next]);
    else alternatives[alternatives.length - 1]!.push(next);
  });
  const ands = alternatives.map((parts): IndexQuery => (parts.length === 1 ? parts[0]! : { kind: 'and', parts }));
  return ands.length === 1 ? ands[0]! : { kind: 'or', parts: ands };
}

const COMPARISONS = { ':<': '<', ':<=': '<=', ':>': '>', ':>=': '>=' } as const;

/** The text liqe read, and the tests its markers stand for. */
type Read = ReturnType<typeof toLiqeSyntax>;

function toTerm(node: Extract<LiqeQuery, { type: 'Tag' }>, { text, setAside }: Read): IndexQuery {
  const field = node.field.type === 'Field' ? node.field.name : undefined;
  const { expression } = node;
  // A bare term has no operator token.
  const operator = node.operator?.operator ?? ':';
  let test: ValueTest;
  if (expression.type === 'LiteralExpression' && isMark(expression.value, expression.quoted)) {
    const setAsideTest = setAside[Number(String(expression.value).slice(SET_ASIDE_MARK.length))];
    if (setAsideTest === undefined || operator !== ':') throw refuse('a range or an escaped value follows an operator');
    test = setAsideTest;
  } else if (expression.type === 'LiteralExpression') {
    // Unquoted, liqe reads numbers, true, false and null as such: the text as written is what is compared.
    const value = expression.quoted ? expression.value : text.slice(expression.location.start, expression.location.end);
    if (operator === ':' || operator === ':=')
      test =
        !expression.quoted && value === '*'
          ? { kind: 'exists' }
          : { kind: 'text', text: value, quoted: expression.quoted };
    else test = { kind: 'compare', operator: COMPARISONS[operator], value };
  } else if (expression.type === 'RegexExpression') {
    throw refuse('regular expressions are not supported by fleet indexing');
  } else {
    throw refuse(`${field ?? 'a term'} has no value`);
  }
  return { kind: 'term', ...(field !== undefined ? { field } : {}), test };
}

const isMark = (value: unknown, quoted: boolean) =>
  quoted && typeof value === 'string' && value.startsWith(SET_ASIDE_MARK);
