import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateThingInput } from '../../lambdas/jobs/fleet/inputs';
import { DELETE_AFTER_DEPRECATION_MS } from '../../lambdas/jobs/fleet/types/thing-type';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import {
  InvalidRequestException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '../../lambdas/jobs/shared/errors';
import { keys } from '../../lambdas/store/table/keys';
import { createServices } from '../support/services';

/** Thing types and the things of them, on DynamoDB Local: the rules, the type's count of things, and the clock. */
let s: Awaited<ReturnType<typeof createServices>>;

beforeAll(async () => {
  s = await createServices({ implicitThings: false });
});

afterAll(() => s?.services.dispose());

const types = () => s.services.thingTypes;
const registry = () => s.services.registry;
const thingCountOf = async (thingTypeName: string) =>
  (await s.table.client.send(new GetCommand({ TableName: s.table.tableName, Key: keys.thingType(thingTypeName) }))).Item
    ?.thingCount ?? 0;
const update = (input: Partial<UpdateThingInput> & { thingName: string }) =>
  registry().updateThing({ merge: false, removeThingType: false, ...input });
const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, `${i}`]));

describe('thing types', () => {
  it('creates a type, answers the same CreateThingType again alike, and refuses other properties', async () => {
    const properties = {
      thingTypeDescription: 'light bulb type',
      searchableAttributes: ['wattage', 'model'],
      mqtt5Configuration: { propagatingAttributes: [{ userPropertyKey: 'model', thingAttribute: 'model' }] },
    };
    const created = await types().createThingType({ thingTypeName: 'LightBulb', properties });
    expect(created.thingTypeArn).toBe('arn:aws:iot:us-east-1:123456789012:thingtype/LightBulb');
    const again = await types().createThingType({ thingTypeName: 'LightBulb', properties: { ...properties } });
    expect(again.thingTypeId).toBe(created.thingTypeId);
    await expect(
      types().createThingType({ thingTypeName: 'LightBulb', properties: { thingTypeDescription: 'other' } }),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);

    expect(await types().describeThingType({ thingTypeName: 'LightBulb' })).toEqual({
      thingTypeName: 'LightBulb',
      thingTypeId: created.thingTypeId,
      thingTypeArn: created.thingTypeArn,
      thingTypeProperties: properties,
      thingTypeMetadata: { deprecated: false, creationDate: s.clock() / 1000 },
    });
  });

  it('keeps the properties an UpdateThingType does not name', async () => {
    await types().updateThingType({
      thingTypeName: 'LightBulb',
      properties: { mqtt5Configuration: { propagatingAttributes: [] } },
    });
    const described = await types().describeThingType({ thingTypeName: 'LightBulb' });
    expect(described.thingTypeProperties).toEqual({
      thingTypeDescription: 'light bulb type',
      searchableAttributes: ['wattage', 'model'],
      mqtt5Configuration: { propagatingAttributes: [] },
    });
    await expect(types().updateThingType({ thingTypeName: 'nope', properties: {} })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('lists types by name, by name prefix, with no nextToken on the last page', async () => {
    for (const name of ['Lamp', 'LightStrip', 'Meter'])
      await types().createThingType({ thingTypeName: name, properties: {} });
    const first = await types().listThingTypes({ maxResults: 2 });
    expect(first.thingTypes.map((t) => t.thingTypeName)).toEqual(['Lamp', 'LightBulb']);
    const second = await types().listThingTypes({ maxResults: 2, nextToken: first.nextToken! });
    expect(second.thingTypes.map((t) => t.thingTypeName)).toEqual(['LightStrip', 'Meter']);
    expect(second.nextToken).toBeUndefined();
    const light = await types().listThingTypes({ maxResults: 100, thingTypeName: 'Light' });
    expect(light.thingTypes.map((t) => t.thingTypeName)).toEqual(['LightBulb', 'LightStrip']);
    expect(light.thingTypes[0]).not.toHaveProperty('thingTypeId');
  });
});

describe('things of a type', () => {
  it('gives a thing a type that exists, counts it, and lists things by type', async () => {
    await registry().createThing({ thingName: 'bulb-1', attributes: attributes(10), thingTypeName: 'LightBulb' });
    await registry().createThing({ thingName: 'plain-1', attributes: {} });
    expect(await registry().describeThing({ thingName: 'bulb-1' })).toMatchObject({ thingTypeName: 'LightBulb' });
    expect(await thingCountOf('LightBulb')).toBe(1);
    const listed = await registry().listThings({ maxResults: 100, thingTypeName: 'LightBulb' });
    expect(listed.things.map((t) => t.thingName)).toEqual(['bulb-1']);
    expect(listed.things[0]).toMatchObject({ thingTypeName: 'LightBulb' });
    await expect(
      registry().createThing({ thingName: 'bulb-x', attributes: {}, thingTypeName: 'Nope' }),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('allows 50 attributes with a type, 3 without: removing the type of a thing with more is refused', async () => {
    await expect(
      registry().createThing({ thingName: 'bulb-51', attributes: attributes(51), thingTypeName: 'LightBulb' }),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(update({ thingName: 'bulb-1', removeThingType: true })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(update({ thingName: 'plain-1', attributes: attributes(4) })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await update({ thingName: 'plain-1', attributes: attributes(20), thingTypeName: 'Lamp' });
    expect(await registry().describeThing({ thingName: 'plain-1' })).toMatchObject({ thingTypeName: 'Lamp' });
    expect(await thingCountOf('Lamp')).toBe(1);
  });

  it('moves a thing from one type to another, or to none, with both counts', async () => {
    await update({ thingName: 'plain-1', thingTypeName: 'Meter', attributes: {} });
    expect([await thingCountOf('Lamp'), await thingCountOf('Meter')]).toEqual([0, 1]);
    await update({ thingName: 'plain-1', removeThingType: true });
    expect(await thingCountOf('Meter')).toBe(0);
    expect(await registry().describeThing({ thingName: 'plain-1' })).not.toHaveProperty('thingTypeName');
  });

  it('refuses a deprecated type to new things and to things newly given it; undoing the deprecation allows it', async () => {
    await types().deprecateThingType({ thingTypeName: 'Meter', undoDeprecate: false });
    expect((await types().describeThingType({ thingTypeName: 'Meter' })).thingTypeMetadata).toEqual({
      deprecated: true,
      deprecationDate: s.clock() / 1000,
      creationDate: expect.any(Number),
    });
    await expect(
      registry().createThing({ thingName: 'meter-1', attributes: {}, thingTypeName: 'Meter' }),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(update({ thingName: 'plain-1', thingTypeName: 'Meter' })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await types().deprecateThingType({ thingTypeName: 'Meter', undoDeprecate: true });
    await update({ thingName: 'plain-1', thingTypeName: 'Meter' });
    expect(await thingCountOf('Meter')).toBe(1);
  });
});

describe('DeleteThingType', () => {
  it('refuses a type that is not deprecated, or deprecated less than 5 minutes ago, on the service clock', async () => {
    await expect(types().deleteThingType({ thingTypeName: 'Lamp' })).rejects.toThrow(/not deprecated/);
    await types().deprecateThingType({ thingTypeName: 'Lamp', undoDeprecate: false });
    s.clock.advance(4 * MINUTE_MS);
    // Deprecating again keeps the first date: the wait does not start over.
    await types().deprecateThingType({ thingTypeName: 'Lamp', undoDeprecate: false });
    await expect(types().deleteThingType({ thingTypeName: 'Lamp' })).rejects.toThrow(/5 minutes later/);
    s.clock.advance(DELETE_AFTER_DEPRECATION_MS - 4 * MINUTE_MS);
    await types().deleteThingType({ thingTypeName: 'Lamp' });
    await expect(types().describeThingType({ thingTypeName: 'Lamp' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(types().deleteThingType({ thingTypeName: 'Lamp' })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a type that things still have, until the last of them is deleted', async () => {
    await types().deprecateThingType({ thingTypeName: 'Meter', undoDeprecate: false });
    s.clock.advance(DELETE_AFTER_DEPRECATION_MS);
    await expect(types().deleteThingType({ thingTypeName: 'Meter' })).rejects.toThrow(/still has 1 thing/);
    await registry().deleteThing({ thingName: 'plain-1' });
    expect(await thingCountOf('Meter')).toBe(0);
    await types().deleteThingType({ thingTypeName: 'Meter' });
  });

  it('deletes a thing of a type at the version expected, and refuses another version', async () => {
    await expect(registry().deleteThing({ thingName: 'bulb-1', expectedVersion: 9 })).rejects.toThrow(/version 1/);
    expect(await thingCountOf('LightBulb')).toBe(1);
    await registry().deleteThing({ thingName: 'bulb-1', expectedVersion: 1 });
    expect(await thingCountOf('LightBulb')).toBe(0);
  });
});

describe('the count of things under racing writes', () => {
  it('stays the number of things of the type, so DeleteThingType never leaves a thing with a type that is gone', async () => {
    await types().createThingType({ thingTypeName: 'Race', properties: {} });
    await types().createThingType({ thingTypeName: 'Other', properties: {} });
    const names = Array.from({ length: 30 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((thingName) => registry().createThing({ thingName, attributes: {}, thingTypeName: 'Race' })),
    );
    await Promise.all([
      ...names.slice(0, 10).map((thingName) => update({ thingName, thingTypeName: 'Other' })),
      ...names.slice(10, 20).map((thingName) => update({ thingName, removeThingType: true })),
      ...names.slice(20, 25).map((thingName) => registry().deleteThing({ thingName })),
      // The same thing moved back and forth at once: whichever lands last, the counts follow.
      ...[1, 2, 3].map(() => update({ thingName: names[25]!, thingTypeName: 'Other' })),
      ...[1, 2, 3].map(() => update({ thingName: names[25]!, thingTypeName: 'Race' })),
    ]);
    const listed = async (thingTypeName: string) =>
      (await registry().listThings({ maxResults: 250, thingTypeName })).things.length;
    expect(await thingCountOf('Race')).toBe(await listed('Race'));
    expect(await thingCountOf('Other')).toBe(await listed('Other'));
    expect((await thingCountOf('Race')) + (await thingCountOf('Other'))).toBe(15);
  });
});

describe('DynamoDB calls, as docs/data-model.md counts them', () => {
  const callsOf = async (run: () => Promise<unknown>) => {
    s.table.commands.length = 0;
    await run();
    return [...s.table.commands];
  };

  it('one write per thing type operation, and one transaction per thing write that gives or takes a type', async () => {
    expect(await callsOf(() => types().createThingType({ thingTypeName: 'Counted', properties: {} }))).toEqual([
      'PutItem',
    ]);
    expect(await callsOf(() => types().listThingTypes({ maxResults: 1 }))).toEqual(['Query']);
    expect(
      await callsOf(() => registry().createThing({ thingName: 'counted-1', attributes: {}, thingTypeName: 'Counted' })),
    ).toEqual(['TransactWriteItems']);
    expect(await callsOf(() => update({ thingName: 'counted-1', removeThingType: true }))).toEqual([
      'GetItem',
      'TransactWriteItems',
    ]);
    expect(await callsOf(() => update({ thingName: 'counted-1', thingTypeName: 'Counted' }))).toEqual([
      'GetItem',
      'TransactWriteItems',
    ]);
    const deleted = await callsOf(() => registry().deleteThing({ thingName: 'counted-1' }));
    expect(deleted.slice(0, 3)).toEqual(['PutItem', 'DeleteItem', 'TransactWriteItems']);
    expect(await callsOf(() => types().deprecateThingType({ thingTypeName: 'Counted', undoDeprecate: false }))).toEqual(
      ['UpdateItem'],
    );
    s.clock.advance(DELETE_AFTER_DEPRECATION_MS);
    expect(await callsOf(() => types().deleteThingType({ thingTypeName: 'Counted' }))).toEqual(['DeleteItem']);
  });
});
