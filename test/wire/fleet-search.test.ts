import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  InvalidQueryException,
  InvalidRequestException,
  RemoveThingFromThingGroupCommand,
  ResourceNotFoundException,
  SearchIndexCommand,
  type ThingDocument,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/** SearchIndex on AWS_Things through @aws-sdk/client-iot and the AWS CLI, over a seeded registry. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

/** 24 sensors in plants 7 and 8 (firmware 1.0 to 3.3), and 6 pumps in no plant group. */
const SENSORS = Array.from({ length: 24 }, (_, i) => ({
  name: `sensor-${String(i).padStart(2, '0')}`,
  plant: i % 2 === 0 ? '7' : '8',
  firmware: (1 + i / 10).toFixed(1),
}));
const PUMPS = Array.from({ length: 6 }, (_, i) => `pump-${i}`);
const ALL = [...PUMPS, ...SENSORS.map((s) => s.name)].sort();

const search = (queryString: string, more: { maxResults?: number; nextToken?: string; indexName?: string } = {}) =>
  f.iot.send(new SearchIndexCommand({ queryString, ...more }));

/** Every page of a search, and every thing on them, in order. */
async function searchAll(queryString: string, maxResults: number) {
  const things: ThingDocument[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await search(queryString, { maxResults, ...(nextToken ? { nextToken } : {}) });
    expect(page.things!.length).toBeLessThanOrEqual(maxResults);
    things.push(...page.things!);
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  return { names: things.map((t) => t.thingName!), pages };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  await f.iot.send(new CreateThingTypeCommand({ thingTypeName: 'sensor-v2' }));
  for (const group of ['plant-7', 'plant-8']) await f.iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
  for (const s of SENSORS) {
    await f.iot.send(
      new CreateThingCommand({
        thingName: s.name,
        thingTypeName: 'sensor-v2',
        attributePayload: { attributes: { plant: s.plant, firmware: s.firmware } },
      }),
    );
    await f.iot.send(new AddThingToThingGroupCommand({ thingName: s.name, thingGroupName: `plant-${s.plant}` }));
  }
  for (const name of PUMPS) await f.iot.send(new CreateThingCommand({ thingName: name }));
  await f.iot.send(
    new CreateThingGroupCommand({
      thingGroupName: 'plant-7-line-a',
      parentGroupName: 'plant-7',
      thingGroupProperties: {
        thingGroupDescription: 'Line A of Plant 7',
        attributePayload: { attributes: { floor: '2' } },
      },
    }),
  );
}, 120_000);

afterAll(() => f?.stop());

describe('SearchIndex', () => {
  it('finds no index while indexing is off, as AWS answers', async () => {
    const refused = await failureOf(search('*'));
    expect(refused).toBeInstanceOf(ResourceNotFoundException);
    expect((refused as Error).message).toMatch(/UpdateIndexingConfiguration/);
  });

  it('answers the registry once indexing is on: a thing as AWS shapes it', async () => {
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }),
    );
    const found = await search('thingName:sensor-03');
    expect(found.things).toEqual([
      {
        thingName: 'sensor-03',
        thingId: expect.any(String),
        thingTypeName: 'sensor-v2',
        thingGroupNames: ['plant-8'],
        attributes: { plant: '8', firmware: '1.3' },
      },
    ]);
    expect(found.thingGroups).toEqual([]);
    expect(found.nextToken).toBeUndefined();
    expect((await search('thingName:pump-0')).things).toEqual([{ thingName: 'pump-0', thingId: expect.any(String) }]);
  });

  it.each([
    ['*', ALL],
    ['thingName:sensor-1*', SENSORS.filter((s) => s.name.startsWith('sensor-1')).map((s) => s.name)],
    ['thingGroupNames:plant-7', SENSORS.filter((s) => s.plant === '7').map((s) => s.name)],
    [
      'thingTypeName:sensor-v2 AND attributes.firmware<2 AND thingGroupNames:plant-8',
      SENSORS.filter((s) => Number(s.firmware) < 2 && s.plant === '8').map((s) => s.name),
    ],
    ['NOT thingTypeName:*', PUMPS],
    ['attributes.firmware:[2.0 TO 2.2}', ['sensor-10', 'sensor-11']],
    // AWS's syntax that liqe reads only through the pre-pass (query-rewrite.ts).
    ['attributes.firmware < 1.3', ['sensor-00', 'sensor-01', 'sensor-02']],
    ['thingGroupNames:plant-7 AND attributes.firmware >= 3', ['sensor-20', 'sensor-22']],
    ['thingName:(pump-1 OR sensor-0* AND -sensor-00)', ['pump-1', ...SENSORS.slice(1, 10).map((s) => s.name)]],
    ['thingName:["pump-1" TO "pump-3"]', ['pump-1', 'pump-2', 'pump-3']],
    ['attributes.firmware:{"1.0" TO "1.2"]', ['sensor-01', 'sensor-02']],
    [
      'thingName:sensor\\-1* AND thingGroupNames:(plant-8)',
      ['sensor-11', 'sensor-13', 'sensor-15', 'sensor-17', 'sensor-19'],
    ],
  ])('pages %s through 4 at a time: every match once, in name order', async (query, expected) => {
    const { names } = await searchAll(query, 4);
    expect(names).toEqual([...expected].sort());
  });

  it('walks the whole registry for a query no key serves, short pages and all, missing none', async () => {
    const expected = SENSORS.filter((s) => s.firmware.endsWith('.5')).map((s) => s.name);
    const { names } = await searchAll('attributes.firmware:*.5', 3);
    expect(names).toEqual(expected);
  });

  it('refuses a query that does not parse, a field it does not hold, and a token of another search', async () => {
    expect(await failureOf(search('thingName:a AND'))).toBeInstanceOf(InvalidQueryException);
    expect(await failureOf(search('shadow.reported.x:1'))).toBeInstanceOf(InvalidQueryException);
    const first = await search('*', { maxResults: 2 });
    expect(await failureOf(search('thingName:s*', { nextToken: first.nextToken! }))).toBeInstanceOf(
      InvalidRequestException,
    );
  });

  it("answers a thing's groups as they are now", async () => {
    const groupsOf = async () => (await search('thingName:sensor-05')).things![0]!.thingGroupNames;
    await f.iot.send(new RemoveThingFromThingGroupCommand({ thingName: 'sensor-05', thingGroupName: 'plant-8' }));
    expect(await groupsOf()).toBeUndefined();
    expect((await searchAll('thingGroupNames:plant-8', 50)).names).not.toContain('sensor-05');
    await f.iot.send(new AddThingToThingGroupCommand({ thingName: 'sensor-05', thingGroupName: 'plant-8' }));
    expect(await groupsOf()).toEqual(['plant-8']);
  });

  it('knows no other index', async () => {
    expect(await failureOf(search('*', { indexName: 'MyIndex' }))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers the AWS CLI', async () => {
    const found = await cli('search-index', '--query-string', 'thingGroupNames:plant-7 AND attributes.firmware>=3');
    expect(found.code, found.stderr).toBe(0);
    expect(found.json.things.map((t: ThingDocument) => t.thingName)).toEqual(['sensor-20', 'sensor-22']);
  });
});

describe('SearchIndex on AWS_ThingGroups', () => {
  const searchGroups = (queryString: string, more: { maxResults?: number; nextToken?: string } = {}) =>
    search(queryString, { indexName: 'AWS_ThingGroups', ...more });

  it('finds no index until thingGroupIndexingMode is ON', async () => {
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'OFF' } }),
    );
    expect(await failureOf(searchGroups('*'))).toBeInstanceOf(ResourceNotFoundException);
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' } }),
    );
  });

  it('answers a group as AWS shapes it', async () => {
    const found = await searchGroups('parentGroupNames:plant-7');
    expect(found.things).toEqual([]);
    expect(found.thingGroups).toEqual([
      {
        thingGroupName: 'plant-7-line-a',
        thingGroupId: expect.any(String),
        thingGroupDescription: 'Line A of Plant 7',
        parentGroupNames: ['plant-7'],
        attributes: { floor: '2' },
      },
    ]);
    expect((await searchGroups('thingGroupName:plant-8')).thingGroups).toEqual([
      { thingGroupName: 'plant-8', thingGroupId: expect.any(String) },
    ]);
  });

  it.each([
    ['thingGroupName:plant-*', ['plant-7', 'plant-7-line-a', 'plant-8']],
    ['thingGroupDescription:line*', ['plant-7-line-a']],
    ['attributes.floor>=2', ['plant-7-line-a']],
    ['NOT parentGroupNames:*', ['plant-7', 'plant-8']],
    ['*', ['plant-7', 'plant-7-line-a', 'plant-8']],
  ])('pages %s one group at a time', async (query, expected) => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await searchGroups(query, { maxResults: 1, ...(nextToken ? { nextToken } : {}) });
      names.push(...page.thingGroups!.map((g) => g.thingGroupName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(expected);
  });

  it('refuses a field of the things index', async () => {
    expect(await failureOf(searchGroups('thingName:sensor-01'))).toBeInstanceOf(InvalidQueryException);
  });

  it('answers the AWS CLI', async () => {
    const found = await cli(
      'search-index',
      '--index-name',
      'AWS_ThingGroups',
      '--query-string',
      'thingGroupName:plant-7*',
    );
    expect(found.code, found.stderr).toBe(0);
    expect(found.json.thingGroups.map((g: { thingGroupName: string }) => g.thingGroupName)).toEqual([
      'plant-7',
      'plant-7-line-a',
    ]);
  });
});
