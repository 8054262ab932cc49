import {
  AddThingToThingGroupCommand,
  CreateDynamicThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteDynamicThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  InvalidQueryException,
  InvalidRequestException,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateDynamicThingGroupCommand,
  UpdateIndexingConfigurationCommand,
  UpdateThingCommand,
  UpdateThingGroupsForThingCommand,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, type WireFixture } from '../support/local-service';

/** Dynamic thing groups through @aws-sdk/client-iot: each operation, and the membership following the things. */
let f: WireFixture;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const members = async (thingGroupName: string) =>
  ((await f.iot.send(new ListThingsInThingGroupCommand({ thingGroupName }))).things ?? []).sort();
const groupsOf = async (thingName: string) =>
  ((await f.iot.send(new ListThingGroupsForThingCommand({ thingName }))).thingGroups ?? []).map((g) => g.groupName);
const gauge = (thingName: string, firmware: string) =>
  f.iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { firmware } } }));
const old = (thingGroupName: string, queryString = 'attributes.firmware<3.1') =>
  f.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName, queryString }));

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  await gauge('gauge-1', '2.9');
  await gauge('gauge-2', '3.1');
  await gauge('gauge-3', '3.0');
});

afterAll(() => f?.stop());

describe('CreateDynamicThingGroup', () => {
  it('is refused while the things index is off, as AWS answers: the index does not exist', async () => {
    const error = await failureOf(old('before-indexing'));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toContain('AWS_Things');
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }),
    );
  });

  it('answers the group and its query, and builds its membership over the fleet that exists', async () => {
    const created = await old('old-firmware');
    expect(created).toMatchObject({
      thingGroupName: 'old-firmware',
      indexName: 'AWS_Things',
      queryString: 'attributes.firmware<3.1',
      queryVersion: '2017-09-30',
    });
    expect(created.thingGroupArn).toMatch(/:thinggroup\/old-firmware$/);
    const described = await f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'old-firmware' }));
    expect(described).toMatchObject({ status: 'ACTIVE', queryString: 'attributes.firmware<3.1', version: 1 });
    expect(described.thingGroupId).toBe(created.thingGroupId);
    expect(await members('old-firmware')).toEqual(['gauge-1', 'gauge-3']);
    expect(await groupsOf('gauge-1')).toEqual(['old-firmware']);
    const listed = await f.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'old-' }));
    expect(listed.thingGroups?.map((g) => g.groupName)).toEqual(['old-firmware']);
  });

  it('refuses a query that does not parse, a name taken, another index or query version', async () => {
    expect(await failureOf(old('broken', 'attributes.firmware<'))).toBeInstanceOf(InvalidQueryException);
    expect(await failureOf(old('shadowy', 'shadow.reported.x:1'))).toBeInstanceOf(InvalidQueryException);
    expect(await failureOf(old('old-firmware', 'thingName:x'))).toBeInstanceOf(ResourceAlreadyExistsException);
    const elsewhere = f.iot.send(
      new CreateDynamicThingGroupCommand({ thingGroupName: 'g', queryString: '*', indexName: 'AWS_ThingGroups' }),
    );
    expect(await failureOf(elsewhere)).toBeInstanceOf(ResourceNotFoundException);
    const version = f.iot.send(
      new CreateDynamicThingGroupCommand({ thingGroupName: 'g', queryString: '*', queryVersion: '2020-01-01' }),
    );
    expect(await failureOf(version)).toBeInstanceOf(InvalidRequestException);
  });
});

describe('the static operations on a dynamic group', () => {
  it('refuses adding a thing, removing one, and UpdateThingGroupsForThing naming it', async () => {
    const membership = { thingGroupName: 'old-firmware', thingName: 'gauge-2' };
    expect(await failureOf(f.iot.send(new AddThingToThingGroupCommand(membership)))).toBeInstanceOf(
      InvalidRequestException,
    );
    const remove = new RemoveThingFromThingGroupCommand({ ...membership, thingName: 'gauge-1' });
    expect(await failureOf(f.iot.send(remove))).toBeInstanceOf(InvalidRequestException);
    const both = new UpdateThingGroupsForThingCommand({ thingName: 'gauge-2', thingGroupsToAdd: ['old-firmware'] });
    expect(await failureOf(f.iot.send(both))).toBeInstanceOf(InvalidRequestException);
    expect(await members('old-firmware')).toEqual(['gauge-1', 'gauge-3']);
  });

  it('refuses it as a parent, and DeleteThingGroup of it (DeleteDynamicThingGroup is its deletion)', async () => {
    const child = new CreateThingGroupCommand({ thingGroupName: 'child', parentGroupName: 'old-firmware' });
    expect(await failureOf(f.iot.send(child))).toBeInstanceOf(InvalidRequestException);
    const deletion = new DeleteThingGroupCommand({ thingGroupName: 'old-firmware' });
    expect(await failureOf(f.iot.send(deletion))).toBeInstanceOf(InvalidRequestException);
  });
});

describe('membership following the things', () => {
  it('takes in a thing created matching, lets go of one updated past the query, takes back one downgraded', async () => {
    await gauge('gauge-4', '1.0');
    await f.iot.send(
      new UpdateThingCommand({ thingName: 'gauge-1', attributePayload: { attributes: { firmware: '3.1' } } }),
    );
    await f.iot.send(
      new UpdateThingCommand({ thingName: 'gauge-2', attributePayload: { attributes: { firmware: '3.0' } } }),
    );
    expect(await members('old-firmware')).toEqual(['gauge-2', 'gauge-3', 'gauge-4']);
    expect(await groupsOf('gauge-1')).toEqual([]);
    await f.iot.send(new DeleteThingCommand({ thingName: 'gauge-4' }));
    expect(await members('old-firmware')).toEqual(['gauge-2', 'gauge-3']);
  });
});

describe('UpdateDynamicThingGroup', () => {
  it('rebuilds the membership on a new query, and keeps it on new properties alone', async () => {
    const updated = await f.iot.send(
      new UpdateDynamicThingGroupCommand({
        thingGroupName: 'old-firmware',
        thingGroupProperties: { thingGroupDescription: 'below 3.1' },
        queryString: 'attributes.firmware:3.1',
        expectedVersion: 1,
      }),
    );
    expect(updated.version).toBe(2);
    expect(await members('old-firmware')).toEqual(['gauge-1']);
    const described = await f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'old-firmware' }));
    expect(described).toMatchObject({
      status: 'ACTIVE',
      queryString: 'attributes.firmware:3.1',
      thingGroupProperties: { thingGroupDescription: 'below 3.1' },
    });
    const stale = f.iot.send(
      new UpdateDynamicThingGroupCommand({
        thingGroupName: 'old-firmware',
        thingGroupProperties: {},
        expectedVersion: 1,
      }),
    );
    expect(await failureOf(stale)).toBeInstanceOf(VersionConflictException);
    const staticGroup = f.iot.send(
      new UpdateDynamicThingGroupCommand({ thingGroupName: 'missing', thingGroupProperties: {}, queryString: '*' }),
    );
    expect(await failureOf(staticGroup)).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('DeleteDynamicThingGroup', () => {
  it('takes its memberships with it; none is no error; a static group is refused', async () => {
    await f.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'old-firmware' }));
    expect(await groupsOf('gauge-1')).toEqual([]);
    const gone = f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'old-firmware' }));
    expect(await failureOf(gone)).toBeInstanceOf(ResourceNotFoundException);
    await f.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'old-firmware' }));
    await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'static-one' }));
    const wrong = f.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'static-one' }));
    expect(await failureOf(wrong)).toBeInstanceOf(InvalidRequestException);
  });

  it('frees the name: a group made again under it builds anew', async () => {
    await old('old-firmware');
    expect(await members('old-firmware')).toEqual(['gauge-2', 'gauge-3']);
    await f.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'old-firmware' }));
    await old('again');
    expect(await members('again')).toEqual(['gauge-2', 'gauge-3']);
  });
});
