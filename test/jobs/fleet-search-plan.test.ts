import { describe, expect, it } from 'vitest';
import { parseIndexQuery } from '../../lambdas/jobs/index/query-parser';
import { needsGroupNames, planThingSearch } from '../../lambdas/jobs/index/search-plan';
import { recordedGroupsOf } from '../../lambdas/store/registry/thing-search';

/** Which keyed read a search stands on: only a term every match must satisfy may narrow it. */
describe('the keyed read of a things search', () => {
  it.each([
    ['thingName:sensor-1', { kind: 'thing', thingName: 'sensor-1' }],
    ['attributes.a:1 AND thingName:"sensor-1"', { kind: 'thing', thingName: 'sensor-1' }],
    ['thingGroupNames:plant-7 AND attributes.firmware<3', { kind: 'group', thingGroupName: 'plant-7' }],
    ['thingName:sensor-* thingGroupNames:plant-7', { kind: 'group', thingGroupName: 'plant-7' }],
    ['thingName:sensor-* AND attributes.a:1', { kind: 'prefix', prefix: 'sensor-' }],
    ['thingName:sensor-1 OR thingName:sensor-2', { kind: 'all' }],
    ['NOT thingName:sensor-1', { kind: 'all' }],
    ['thingName:*-1', { kind: 'all' }],
    ['thingName:sen?or*', { kind: 'all' }],
    ['thingGroupNames:plant-*', { kind: 'all' }],
    ['thingTypeName:sensor-v2', { kind: 'all' }],
    ['*', { kind: 'all' }],
    // The pre-pass's rewrites keep a keyed read: an escaped name is exact, a field group an OR.
    ['thingName:line\\:7 AND attributes.a:1', { kind: 'thing', thingName: 'line:7' }],
    ['thingName:line\\:*', { kind: 'prefix', prefix: 'line:' }],
    ['thingGroupNames:(plant-7) attributes.firmware < 3', { kind: 'group', thingGroupName: 'plant-7' }],
    ['thingName:(sensor-1 OR sensor-2)', { kind: 'all' }],
  ])('%s', (query, access) => expect(planThingSearch(parseIndexQuery(query))).toEqual(access));

  it.each([
    ['thingGroupNames:a', true],
    ['NOT thingGroupNames:a', true],
    ['plant-7', true],
    ['thingName:a AND attributes.b:c', false],
  ])('%s reads groups before matching: %s', (query, needed) =>
    expect(needsGroupNames(parseIndexQuery(query))).toBe(needed),
  );
});

describe("a thing's groups as its item records them", () => {
  it.each([
    [{ groupCount: 2, thingGroupNames: new Set(['b', 'a']) }, ['a', 'b']],
    [{ groupCount: 0 }, []],
    // Memberships from before the names were kept: the count says more than the names, so they are read.
    [{ groupCount: 2, thingGroupNames: new Set(['a']) }, undefined],
    [{ groupCount: 1 }, undefined],
    // Never counted: read.
    [{}, undefined],
  ])('%o: %o', (item, groups) => expect(recordedGroupsOf({ thingName: 't', ...item })).toEqual(groups));
});
