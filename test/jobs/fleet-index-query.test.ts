import { describe, expect, it } from 'vitest';
import { parseIndexQuery, withComparisonColons } from '../../lambdas/jobs/index/query-parser';
import { checkThingFields, matchesThing, type ThingDocumentFields } from '../../lambdas/jobs/index/thing-matcher';
import { InvalidQueryException } from '../../lambdas/jobs/shared/errors';

/**
 * AWS's fleet indexing query syntax, table by table, against one seeded registry: each query's matches among these
 * things, as names. The parser is liqe's with our two passes (comparison colons, AND before OR); the matcher is pure.
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
    ['*', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1', 'Pump-2']],
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
    ['attributes.site:*', ['sensor-1', 'sensor-2']],
    ['thingTypeName:*', ['sensor-1', 'sensor-2', 'sensor-10', 'pump-1']],
    ['NOT thingTypeName:*', ['Pump-2']],
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
    ['-attributes.firmware<3.1', ['sensor-2', 'sensor-10', 'pump-1', 'Pump-2']],
    ['(attributes.firmware<3.1)', ['sensor-1']],
    ['thingName:"a<b"', []],
  ]);
});

describe('AND, OR, NOT and precedence', () => {
  table([
    ['thingTypeName:sensor-v2 AND attributes.plant:7', ['sensor-1', 'sensor-2']],
    ['thingTypeName:sensor-v2 attributes.firmware<3.1', ['sensor-1']],
    ['thingName:pump-1 OR thingName:sensor-10', ['sensor-10', 'pump-1']],
    ['NOT attributes.plant:7', ['sensor-10', 'Pump-2']],
    ['-attributes.plant:7', ['sensor-10', 'Pump-2']],
    ['attributes.plant:7 AND NOT thingGroupNames:beta', ['sensor-1', 'pump-1']],
    ['attributes.plant:7 -thingGroupNames:beta', ['sensor-1', 'pump-1']],
    // AND binds tighter than OR, whichever comes first.
    ['thingName:pump-1 OR thingTypeName:sensor-v2 AND attributes.firmware>3', ['sensor-2', 'pump-1']],
    ['thingTypeName:sensor-v2 AND attributes.firmware>3 OR thingName:pump-1', ['sensor-2', 'pump-1']],
    ['(thingName:pump-1 OR thingTypeName:sensor-v2) AND attributes.firmware>3', ['sensor-2', 'pump-1']],
    ['thingName:pump-1 OR (thingTypeName:sensor-v2 AND attributes.firmware:[0 TO 3])', ['sensor-1', 'pump-1']],
    ['NOT (thingGroupNames:plant-7 OR thingGroupNames:plant-8)', ['pump-1', 'Pump-2']],
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
  ])('%s', (query) => {
    expect(() => checkThingFields(parseIndexQuery(query))).toThrow(InvalidQueryException);
  });

  it('takes twelve terms', () => {
    expect(search(Array.from({ length: 12 }, (_, i) => `attributes.a${i}:1`).join(' OR '))).toEqual([]);
  });
});

describe('the comparison pass', () => {
  it.each([
    ['attributes.n<5', 'attributes.n:<5'],
    ['a.b>=5 AND c<=d', 'a.b:>=5 AND c:<=d'],
    ['(x>1)', '(x:>1)'],
    ['-x>1', '-x:>1'],
    ['x:<1', 'x:<1'],
    ['thingName:"a<b" x>1', 'thingName:"a<b" x:>1'],
  ])('%s is %s', (aws, liqe) => expect(withComparisonColons(aws)).toBe(liqe));
});
