import {
  CreateThingCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingCommand,
  DescribeThingTypeCommand,
  InvalidRequestException,
  ListThingsCommand,
  ListThingTypesCommand,
  paginateListThingTypes,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateThingCommand,
  UpdateThingTypeCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/** Thing types through @aws-sdk/client-iot and the AWS CLI, deletion after deprecation on the controllable clock. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const typeArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thingtype/${name}`;

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false, controllableClock: true });
});

afterAll(() => f?.stop());

const advanceClock = async (seconds: number) => {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
};

describe('thing types through the SDK', () => {
  it('creates, describes (dates as dates), updates and lists a type', async () => {
    const created = await f.iot.send(
      new CreateThingTypeCommand({
        thingTypeName: 'Pump',
        thingTypeProperties: {
          thingTypeDescription: 'water pump',
          searchableAttributes: ['site', 'model'],
          mqtt5Configuration: { propagatingAttributes: [{ userPropertyKey: 'site', thingAttribute: 'site' }] },
        },
      }),
    );
    expect(created).toMatchObject({
      thingTypeName: 'Pump',
      thingTypeArn: typeArn('Pump'),
      thingTypeId: expect.any(String),
    });
    await f.iot.send(
      new UpdateThingTypeCommand({ thingTypeName: 'Pump', thingTypeProperties: { thingTypeDescription: 'pump' } }),
    );
    const described = await f.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Pump' }));
    expect(described).toMatchObject({
      thingTypeName: 'Pump',
      thingTypeId: created.thingTypeId,
      thingTypeArn: typeArn('Pump'),
      thingTypeProperties: {
        thingTypeDescription: 'pump',
        searchableAttributes: ['site', 'model'],
        mqtt5Configuration: { propagatingAttributes: [{ userPropertyKey: 'site', thingAttribute: 'site' }] },
      },
      thingTypeMetadata: { deprecated: false, creationDate: expect.any(Date) },
    });
  });

  it('pages ListThingTypes, with no nextToken on the last page, and filters by name prefix', async () => {
    for (const name of ['Pump-B', 'Pump-C', 'Valve'])
      await f.iot.send(new CreateThingTypeCommand({ thingTypeName: name }));
    const pages: string[][] = [];
    for await (const page of paginateListThingTypes({ client: f.iot, pageSize: 2 }, {}))
      pages.push((page.thingTypes ?? []).map((t) => t.thingTypeName!));
    expect(pages).toEqual([
      ['Pump', 'Pump-B'],
      ['Pump-C', 'Valve'],
    ]);
    const last = await f.iot.send(new ListThingTypesCommand({ maxResults: 4 }));
    expect(last.nextToken).toBeUndefined();
    const pumps = await f.iot.send(new ListThingTypesCommand({ thingTypeName: 'Pump-' }));
    expect(pumps.thingTypes?.map((t) => t.thingTypeName)).toEqual(['Pump-B', 'Pump-C']);
  });

  it.each<[string, () => Promise<unknown>, new (...args: never[]) => Error]>([
    [
      'a type again with other properties',
      () =>
        f.iot.send(
          new CreateThingTypeCommand({ thingTypeName: 'Valve', thingTypeProperties: { thingTypeDescription: 'x' } }),
        ),
      ResourceAlreadyExistsException,
    ],
    [
      'four searchable attributes',
      () =>
        f.iot.send(
          new CreateThingTypeCommand({
            thingTypeName: 'Many',
            thingTypeProperties: { searchableAttributes: ['a', 'b', 'c', 'd'] },
          }),
        ),
      InvalidRequestException,
    ],
    [
      'tags',
      () => f.iot.send(new CreateThingTypeCommand({ thingTypeName: 'Tagged', tags: [{ Key: 'k', Value: 'v' }] })),
      InvalidRequestException,
    ],
    [
      'a type that does not exist',
      () => f.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Nope' })),
      ResourceNotFoundException,
    ],
    [
      'a deprecation of a type that does not exist',
      () => f.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Nope' })),
      ResourceNotFoundException,
    ],
    [
      'an update of a type that does not exist',
      () => f.iot.send(new UpdateThingTypeCommand({ thingTypeName: 'Nope', thingTypeProperties: {} })),
      ResourceNotFoundException,
    ],
    [
      'a deletion of a type that does not exist',
      () => f.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Nope' })),
      ResourceNotFoundException,
    ],
    [
      'a nextToken ListThingTypes did not issue',
      () => f.iot.send(new ListThingTypesCommand({ nextToken: 'bm90LW91cnM' })),
      InvalidRequestException,
    ],
    [
      'a new type and removeThingType at once',
      () => f.iot.send(new UpdateThingCommand({ thingName: 'pump-1', thingTypeName: 'Pump', removeThingType: true })),
      InvalidRequestException,
    ],
    [
      'a thing of a type that does not exist',
      () => f.iot.send(new CreateThingCommand({ thingName: 't-nope', thingTypeName: 'Nope' })),
      ResourceNotFoundException,
    ],
  ])('refuses %s, as AWS names it', async (_case, send, error) => {
    await expect(send()).rejects.toBeInstanceOf(error);
  });
});

describe('things of a type through the SDK', () => {
  it('creates a thing of a type with up to 50 attributes, shows and filters by the type, and removes it', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, `${i}`]));
    await f.iot.send(
      new CreateThingCommand({ thingName: 'pump-1', thingTypeName: 'Pump', attributePayload: { attributes } }),
    );
    await f.iot.send(new CreateThingCommand({ thingName: 'valve-1', thingTypeName: 'Valve' }));
    expect(await f.iot.send(new DescribeThingCommand({ thingName: 'pump-1' }))).toMatchObject({
      thingTypeName: 'Pump',
      attributes,
    });
    const pumps = await f.iot.send(new ListThingsCommand({ thingTypeName: 'Pump' }));
    expect(pumps.things?.map((t) => [t.thingName, t.thingTypeName])).toEqual([['pump-1', 'Pump']]);
    const byAttribute = await f.iot.send(
      new ListThingsCommand({ thingTypeName: 'Pump', attributeName: 'a7', attributeValue: '7' }),
    );
    expect(byAttribute.things?.map((t) => t.thingName)).toEqual(['pump-1']);
    await expect(
      f.iot.send(new UpdateThingCommand({ thingName: 'pump-1', removeThingType: true })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await f.iot.send(
      new UpdateThingCommand({ thingName: 'valve-1', thingTypeName: 'Pump', attributePayload: { attributes: {} } }),
    );
    await f.iot.send(new UpdateThingCommand({ thingName: 'valve-1', removeThingType: true }));
    expect(await f.iot.send(new DescribeThingCommand({ thingName: 'valve-1' }))).not.toHaveProperty('thingTypeName');
  });

  it('refuses new things of a deprecated type, and deletes the type only 5 minutes after its deprecation, once it has no things', async () => {
    await f.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Pump' }));
    const described = await f.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Pump' }));
    expect(described.thingTypeMetadata).toMatchObject({ deprecated: true, deprecationDate: expect.any(Date) });
    await expect(
      f.iot.send(new CreateThingCommand({ thingName: 'pump-2', thingTypeName: 'Pump' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      f.iot.send(new UpdateThingCommand({ thingName: 'valve-1', thingTypeName: 'Pump' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);

    await expect(f.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Pump' }))).rejects.toThrow(/5 minutes/);
    await advanceClock(5 * 60);
    await expect(f.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Pump' }))).rejects.toThrow(
      /still has 1 thing/,
    );
    await f.iot.send(new DeleteThingCommand({ thingName: 'pump-1' }));
    await f.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Pump' }));
    await expect(f.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Pump' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('thing types through the AWS CLI', () => {
  it('runs the fleet provisioning steps: create-thing-type, then create-thing --thing-type-name', async () => {
    const created = await cli(
      'create-thing-type',
      '--thing-type-name',
      'Sensor',
      '--thing-type-properties',
      'thingTypeDescription=air sensor,searchableAttributes=room,floor',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ thingTypeName: 'Sensor', thingTypeArn: typeArn('Sensor') });
    const thing = await cli('create-thing', '--thing-name', 'sensor-1', '--thing-type-name', 'Sensor');
    expect(thing.code, thing.stderr).toBe(0);
    const described = await cli('describe-thing', '--thing-name', 'sensor-1');
    expect(described.json).toMatchObject({ thingTypeName: 'Sensor' });
    const listed = await cli('list-things', '--thing-type-name', 'Sensor');
    expect(listed.json.things.map((t: { thingName: string }) => t.thingName)).toEqual(['sensor-1']);
    const type = await cli('describe-thing-type', '--thing-type-name', 'Sensor');
    expect(type.json).toMatchObject({
      thingTypeProperties: { thingTypeDescription: 'air sensor', searchableAttributes: ['room', 'floor'] },
      thingTypeMetadata: { deprecated: false },
    });
  });

  it('lists all pages, updates, deprecates, undoes it, and deletes after 5 minutes on the clock', async () => {
    const all = await cli('list-thing-types', '--page-size', '2');
    expect(all.json.thingTypes.map((t: { thingTypeName: string }) => t.thingTypeName)).toEqual([
      'Pump-B',
      'Pump-C',
      'Sensor',
      'Valve',
    ]);
    expect(all.json.NextToken ?? all.json.nextToken).toBeUndefined();
    expect(
      (
        await cli(
          'update-thing-type',
          '--thing-type-name',
          'Valve',
          '--thing-type-properties',
          'thingTypeDescription=valve',
        )
      ).code,
    ).toBe(0);
    expect((await cli('deprecate-thing-type', '--thing-type-name', 'Valve')).code).toBe(0);
    expect((await cli('deprecate-thing-type', '--thing-type-name', 'Valve', '--undo-deprecate')).code).toBe(0);
    const undone = await cli('describe-thing-type', '--thing-type-name', 'Valve');
    expect(undone.json.thingTypeMetadata.deprecated).toBe(false);
    expect((await cli('deprecate-thing-type', '--thing-type-name', 'Valve')).code).toBe(0);
    const early = await cli('delete-thing-type', '--thing-type-name', 'Valve');
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/InvalidRequestException/);
    await advanceClock(5 * 60);
    const deleted = await cli('delete-thing-type', '--thing-type-name', 'Valve');
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await cli('describe-thing-type', '--thing-type-name', 'Valve');
    expect(gone.stderr).toMatch(/ResourceNotFoundException/);
  });
});
