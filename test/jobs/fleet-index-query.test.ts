import { describe, expect, it } from 'vitest';
import { parseIndexQuery } from '../../lambdas/jobs/index/query-parser';
import { toLiqeSyntax } from '../../lambdas/jobs/index/query-rewrite';
import { checkThingFields, matchesThing, type ThingDocumentFields } from '../../lambdas/jobs/index/thing-matcher';
import { InvalidQueryException } from '../../lambdas/jobs/shared/errors';

/**
 * AWS's fleet indexing query syntax, table by table, against one seeded registry: each query's matches among these
 * things, as names. The parser is liqe's with our two passes (query-rewrite.ts, AND before OR); the matcher is pure.
 */
const thing = (
  thingName: string,
  attributes: Record<string, string>,
  more: Partial<ThingDocumentFields> = {},
): ThingDocumentFields => ({ thingName, thingId: `id-${thingName}`, thingGroupNames: [], attributes, ...more });

const REGISTRY: ThingDocumentFields[] = [
  thing(
    'sensor-1',
    { firmware: '2.9', plant: '7', site: 'Berlin' },
    { thingTypeName: 'sensor-v2', thingGroupNames: ['plant-7'] },
  ),
  thing(
    'sensor-2',
    { firmware: '3.1', plant: '7', site: 'berlin' },
    { thingTypeName: 'sensor-v2', thingGroupNames: ['plant-7', 'beta'] },
  ),
  thing('sensor-10', { firmware: '10', plant: '8' }, { thingTypeName: 'sensor-v1', thingGroupNames: ['plant-8'] }),
  thing('pump-1', { firmware: 'abc', plant: '7' }, { thingTypeName: 'pump' }),
  thing('Pump-2', {}),
  thing('line:7/a', { site: 'Hall 3', serial: 'abce' }),
];

const search = (queryString: string) =>
  REGISTRY.filter((t) => matchesThing(checkThingFields(parseIndexQuery(queryString)), t)).map((t) => t.thingName);

const table = (rows: [string, string[]][]) =>
  it.each(rows)('%s', (query, names) => expect(search(query)).toEqual(names));

describe('fields', () => {
  table([
    ['thingName:sensor-1', ['sensor-1']],
    ['thingName:"sensor-1"', ['sensor-1']],
    ['thingName:SENSOR-1', []],
    ['thingId:id-pump-1', ['pump-1']],
    ['thingTypeName:sensor-v2', ['sensor-1', 'sensor-2']],
    ['thingTypeName:nothing', []],
    ['thingGroupNames:plant-7', ['sensor-1', 'sensor-2']],
    ['thingGroupNames:beta', ['sensor-2']],
    ['attributes.plant:7', ['sensor-1', 'sensor-2', 'pump-1']],
    ['attributes.site:BERLIN', ['sensor-1', 'sensor-2']],
    ['attributes.firmware:10.0', ['sensor-10']],
    ['attributes.missing:7', []],
  ]);
});

describe('bare terms search every field', () => {
  table([
    ['plant-8', ['sensor-10']],
    ['berlin', ['sensor-1', 'sensor-2']],
    ['sensor-v1', ['sensor-10']],
    ['*', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1', 'Pump-2', 'line:7/a']],
  ]);
});

describe('wildcards', () => {
  table([
    ['thingName:sensor-*', ['sensor-1', 'sensor-2', 'sensor-10']],
    ['thingName:sensor-?', ['sensor-1', 'sensor-2']],
    ['thingName:*-1', ['sensor-1', 'pump-1']],
    ['thingName:s*1*', ['sensor-1', 'sensor-10']],
    ['thingName:pump*', ['pump-1']],
    ['thingGroupNames:plant-*', ['sensor-1', 'sensor-2', 'sensor-10']],
    ['attributes.site:b*', ['sensor-1', 'sensor-2']],
  ]);
});

describe('existence', () => {
  table([
    ['attributes.site:*', ['sensor-1', 'sensor-2', 'line:7/a']],
    ['thingTypeName:*', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1']],
    ['NOT thingTypeName:*', ['Pump-2', 'line:7/a']],
    ['thingGroupNames:*', ['sensor-1', 'sensor-2', 'sensor-10']],
  ]);
});

describe('ranges: numbers compared as numbers, and only numbers', () => {
  table([
    ['attributes.firmware:[2.9 TO 3.1]', ['sensor-1', 'sensor-2']],
    ['attributes.firmware:{2.9 TO 3.1}', []],
    ['attributes.firmware:{2.9 TO 3.1]', ['sensor-2']],
    ['attributes.firmware:[2.9 TO 3.1}', ['sensor-1']],
    ['attributes.firmware:[3 TO 100]', ['sensor-2', 'sensor-10']],
    ['attributes.plant:[7 TO 7]', ['sensor-1', 'sensor-2', 'pump-1']],
  ]);
});

describe('comparisons, as AWS writes them and as liqe does', () => {
  table([
    ['attributes.firmware<3.1', ['sensor-1']],
    ['attributes.firmware<=3.1', ['sensor-1', 'sensor-2']],
    ['attributes.firmware>3.1', ['sensor-10', 'pump-1']],
    ['attributes.firmware>=3.1', ['sensor-2', 'sensor-10', 'pump-1']],
    ['attributes.firmware:<3.1', ['sensor-1']],
    // 10 is more than 9 as a number, less as text: a numeric value against a numeric bound is compared as numbers.
    ['attributes.firmware>9', ['sensor-10', 'pump-1']],
    // Text against text: code-unit order ("abc" > "3.1").
    ['attributes.firmware>=abc', ['pump-1']],
    ['attributes.firmware<abc', ['sensor-1', 'sensor-2', 'sensor-10']],
    ['-attributes.firmware<3.1', ['sensor-2', 'sensor-10', 'pump-1', 'Pump-2', 'line:7/a']],
    ['(attributes.firmware<3.1)', ['sensor-1']],
    ['thingName:"a<b"', []],
  ]);
});

describe('AND, OR, NOT and precedence', () => {
  table([
    ['thingTypeName:sensor-v2 AND attributes.plant:7', ['sensor-1', 'sensor-2']],
    ['thingTypeName:sensor-v2 attributes.firmware<3.1', ['sensor-1']],
    ['thingName:pump-1 OR thingName:sensor-10', ['sensor-10', 'pump-1']],
    ['NOT attributes.plant:7', ['sensor-10', 'Pump-2', 'line:7/a']],
    ['-attributes.plant:7', ['sensor-10', 'Pump-2', 'line:7/a']],
    ['attributes.plant:7 AND NOT thingGroupNames:beta', ['sensor-1', 'pump-1']],
    ['attributes.plant:7 -thingGroupNames:beta', ['sensor-1', 'pump-1']],
    // AND binds tighter than OR, whichever comes first.
    ['thingName:pump-1 OR thingTypeName:sensor-v2 AND attributes.firmware>3', ['sensor-2', 'pump-1']],
    ['thingTypeName:sensor-v2 AND attributes.firmware>3 OR thingName:pump-1', ['sensor-2', 'pump-1']],
    ['(thingName:pump-1 OR thingTypeName:sensor-v2) AND attributes.firmware>3', ['sensor-2', 'pump-1']],
    ['thingName:pump-1 OR (thingTypeName:sensor-v2 AND attributes.firmware:[0 TO 3])', ['sensor-1', 'pump-1']],
    ['NOT (thingGroupNames:plant-7 OR thingGroupNames:plant-8)', ['pump-1', 'Pump-2', 'line:7/a']],
    ['-(thingGroupNames:plant-7 OR thingGroupNames:plant-8)', ['pump-1', 'Pump-2', 'line:7/a']],
    ['thingTypeName:sensor-v2 AND attributes.firmware<3.1 AND thingGroupNames:plant-7', ['sensor-1']],
  ]);
});

describe('queries refused with InvalidQueryException', () => {
  it.each([
    'thingName:sensor-1 AND',
    'thingName:sensor-1 OR',
    'NOT',
    '(thingName:sensor-1',
    'thingName:sensor-1)',
    'AND thingName:sensor-1',
    'OR thingName:sensor-1',
    'thingName:a AND OR thingName:b',
    'NOT AND thingName:b',
    'thingName:a OR NOT',
    ')thingName:a',
    '()',
    '  ',
    'attributes.plant:',
    'thingName:/sens.r/',
    'shadow.reported.temp:20',
    'connectivity.connected:true',
    Array.from({ length: 13 }, (_, i) => `attributes.a${i}:1`).join(' OR '),
    'attributes.firmware <',
    'attributes.firmware < AND thingName:a',
    'thingName:a < 3',
    'thingName:()',
    'thingName:(a OR)',
    'thingName:(a',
    'attributes.s:["a" TO "b"',
    'attributes.s:[a b]',
    'attributes.s:[* TO 5]',
    'attributes.s:<[1 TO 2]',
    'thingName:abc\\',
    'attributes\\.s:x',
    'thingName:a\\*b*',
    'thingName:\u00010',
    `thingName:(${Array.from({ length: 13 }, (_, i) => `a${i}`).join(' OR ')})`,
  ])('%s', (query) => {
    expect(() => checkThingFields(parseIndexQuery(query))).toThrow(InvalidQueryException);
  });

  it('takes twelve terms', () => {
    expect(search(Array.from({ length: 12 }, (_, i) => `attributes.a${i}:1`).join(' OR '))).toEqual([]);
  });
});

describe('spaces around a comparison operator', () => {
  table([
    ['attributes.firmware < 3.1', ['sensor-1']],
    ['attributes.firmware >= 3.1', ['sensor-2', 'sensor-10', 'pump-1']],
    ['attributes.firmware <3.1', ['sensor-1']],
    ['attributes.firmware< 3.1', ['sensor-1']],
    ['attributes.firmware:< 3.1', ['sensor-1']],
    ['attributes.firmware :<3.1', ['sensor-1']],
    ['-attributes.firmware > 3', ['sensor-1', 'Pump-2', 'line:7/a']],
    ['thingTypeName:sensor-v2 AND attributes.firmware <= 2.9', ['sensor-1']],
    ['(attributes.firmware > 9)', ['sensor-10', 'pump-1']],
    // Text by code unit: "berlin" is after "Hall 3", "Berlin" before.
    ['attributes.site >= "Hall 3"', ['sensor-2', 'line:7/a']],
  ]);
});

describe('field grouping: field:( … ) puts the field on each term inside', () => {
  table([
    ['thingName:(sensor-1 OR pump-1)', ['sensor-1', 'pump-1']],
    ['thingName:(sensor-1)', ['sensor-1']],
    ['thingName:(sensor-* AND -sensor-10)', ['sensor-1', 'sensor-2']],
    ['thingName:(sensor-* NOT sensor-1)', ['sensor-2', 'sensor-10']],
    ['thingGroupNames:(plant-7 OR plant-8) AND attributes.firmware < 3', ['sensor-1']],
    ['-thingGroupNames:(plant-7 OR plant-8)', ['pump-1', 'Pump-2', 'line:7/a']],
    ['attributes.firmware:(>9 OR 2.9)', ['sensor-1', 'sensor-10', 'pump-1']],
    ['attributes.firmware:([2 TO 3] OR "abc")', ['sensor-1', 'pump-1']],
    ['thingName:(pump-1 OR (sensor-* AND -sensor-1?))', ['sensor-1', 'sensor-2', 'pump-1']],
    // A term that names its own field keeps it.
    ['thingName:(pump-1 OR thingTypeName:sensor-v1)', ['sensor-10', 'pump-1']],
    ['thingName:(pump-1 OR thingTypeName:(sensor-v1 OR sensor-v2))', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1']],
  ]);
});

describe('ranges of text: quoted bounds, compared as comparisons are', () => {
  table([
    ['attributes.serial:["abcd" TO "abcf"]', ['line:7/a']],
    ['attributes.serial:{"abcd" TO "abce"}', []],
    ['attributes.serial:{"abcd" TO "abce"]', ['line:7/a']],
    ['attributes.serial:[abcd TO abcf]', ['line:7/a']],
    ['attributes.site:["Hall 1" TO "Hall 9"]', ['line:7/a']],
    ['attributes.site:[Hall\\ 1 TO Hall\\ 9]', ['line:7/a']],
    ['attributes.site:["B" TO "C"]', ['sensor-1']],
    // Quoted numbers are numbers (as in comparisons): 10 is not between 2 and 3.
    ['attributes.firmware:["2" TO "3"]', ['sensor-1']],
    ['attributes.firmware:["2" TO "abc"]', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1']],
  ]);
});

describe('backslash escapes: the character after a backslash is literal', () => {
  table([
    ['thingName:line\\:7/a', ['line:7/a']],
    ['thingName:sensor\\-1', ['sensor-1']],
    ['thingName:line\\:*', ['line:7/a']],
    ['thingName:(line\\:7/a OR pump-1)', ['pump-1', 'line:7/a']],
    ['attributes.site:Hall\\ 3', ['line:7/a']],
    ['Hall\\ 3', ['line:7/a']],
    ['-thingName:sensor\\-*', ['pump-1', 'Pump-2', 'line:7/a']],
    ['attributes.site>=Hall\\ 3', ['sensor-2', 'line:7/a']],
    ['thingName:sensor\\*', []],
  ]);
});

describe('the pre-pass: what liqe reads', () => {
  it.each([
    ['attributes.n<5', 'attributes.n:<5'],
    ['a.b>=5 AND c<=d', 'a.b:>=5 AND c:<=d'],
    ['(x>1)', '(x:>1)'],
    ['-x>1', '-x:>1'],
    ['x:<1', 'x:<1'],
    ['thingName:"a<b" x>1', 'thingName:"a<b" x:>1'],
    ['x < 1', 'x:<1'],
    ['x >= "a b"', 'x:>="a b"'],
    ['NOT x > 1', 'NOT x:>1'],
    ['f:(a OR -b)', '(f:a OR -f:b)'],
    ['-f:(a "b c")', 'NOT (f:a f:"b c")'],
    ['-(a OR b)', 'NOT (a OR b)'],
    ['f:(a g:b)', '(f:a g:b)'],
    ['f:(a g:(b c))', '(f:a (g:b g:c))'],
    ['x:[1 TO 2]', 'x:"\u00010"'],
    ['x:a\\-1 y:b', 'x:"\u00010" y:b'],
  ])('%s is %s', (aws, liqe) => expect(toLiqeSyntax(aws).text).toBe(liqe));
});
