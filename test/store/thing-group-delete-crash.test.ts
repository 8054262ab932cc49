import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import type { ThingGroupRecord } from '../../lambdas/jobs/fleet/thing-group';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import {
  InvalidRequestException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '../../lambdas/jobs/shared/errors';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { keys } from '../../lambdas/store/table/keys';
import { createServices, executionsOfJob } from '../support/services';

/**
 * DeleteThingGroup stopped part-way (a Lambda dies between any two writes), simulated by calling its store steps
 * directly, and a membership the registry index has not listed yet, on DynamoDB Local.
 */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

const MEMBERS = Array.from({ length: 12 }, (_, i) => `unit-${String(i).padStart(2, '0')}`);

beforeEach(async () => {
  s = await createServices({ implicitThings: false });
  for (const thingName of [...MEMBERS, 'newcomer'])
    await s.services.registry.createThing({ thingName, attributes: {} });
  await groups().createThingGroup({ thingGroupName: 'half', attributes: { site: 'x' } });
  for (const thingName of MEMBERS) await groups().addThingToThingGroup({ thingName, thingGroupName: 'half' });
});

afterEach(async () => {
  await s.workDone();
  s.services.dispose();
  await s.table.drop();
});

const groups = () => s.services.groups;
const store = () => s.stores.thingGroups;
const groupJob = (jobId: string, groupName: string) =>
  s.management.createJob(
    parseCreateJob({
      path: { jobId },
      query: {},
      body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, groupName)], document: '{"v":1}' },
    }),
  );
const listedGroups = async (thingName: string) =>
  (await groups().listThingGroupsForThing({ thingName, maxResults: 50 })).thingGroups.map((g) => g.groupName);
const groupCountOf = async (thingName: string) =>
  ((await s.table.client.send(new GetCommand({ TableName: s.table.tableName, Key: keys.thing(thingName) }))).Item
    ?.groupCount as number | undefined) ?? 0;

/** No thing lists the group or counts it, and the group made again under its name has no member nor job target. */
async function expectGoneForGood(groupName: string, jobId: string): Promise<void> {
  for (const thingName of MEMBERS) {
    expect(await listedGroups(thingName), thingName).toEqual([]);
    expect(await groupCountOf(thingName), thingName).toBe(0);
  }
  await groups().createThingGroup({ thingGroupName: groupName, attributes: {} });
  expect(
    (await groups().listThingsInThingGroup({ thingGroupName: groupName, recursive: false, maxResults: 250 })).things,
  ).toEqual([]);
  await groupJob(jobId, groupName);
  await s.workDone();
  expect(await executionsOfJob(s.executions, jobId)).toEqual([]);
}

/** What every reader sees of a group whose deletion has begun: it is gone, and no new member or job reaches it. */
async function expectGoneToReaders(group: ThingGroupRecord): Promise<void> {
  const name = group.thingGroupName;
  await expect(groups().describeThingGroup({ thingGroupName: name })).rejects.toBeInstanceOf(ResourceNotFoundException);
  expect((await groups().listThingGroups({ maxResults: 50 })).thingGroups).toEqual([]);
  await expect(
    groups().listThingsInThingGroup({ thingGroupName: name, recursive: false, maxResults: 50 }),
  ).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(groups().addThingToThingGroup({ thingName: 'newcomer', thingGroupName: name })).rejects.toBeInstanceOf(
    ResourceNotFoundException,
  );
  await expect(groupJob('onto-deleting', name)).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(
    groups().createThingGroup({ thingGroupName: 'below', parentGroupName: name, attributes: {} }),
  ).rejects.toBeInstanceOf(InvalidRequestException);
  // Not even the same CreateThingGroup again: a group made under the name now would keep the members still leaving.
  await expect(groups().createThingGroup({ thingGroupName: name, attributes: { site: 'x' } })).rejects.toBeInstanceOf(
    ResourceAlreadyExistsException,
  );
}

describe('DeleteThingGroup stopped part-way', () => {
  it('leaves a group gone to every reader, that its members may still leave, and that the next call finishes', async () => {
    const group = (await store().getGroup('half'))!;
    const marked = await store().markDeleting(group, undefined, s.clock());
    expect(marked.applied).toBe(true);
    for (const thingName of MEMBERS.slice(0, 4)) expect(await store().removeMember(group, thingName)).toBe(true);
    // The Lambda dies here: four members out, eight still in.

    await expectGoneToReaders(group);
    expect(await listedGroups(MEMBERS[0]!)).toEqual([]);
    expect(await listedGroups(MEMBERS[4]!)).toEqual(['half']);
    // A thing that still lists the group can leave it.
    await expect(
      groups().removeThingFromThingGroup({ thingName: MEMBERS[4]!, thingGroupName: 'half' }),
    ).resolves.toEqual({});

    // The next DeleteThingGroup finishes it, whatever version it expects: the first call's expectation held.
    await expect(groups().deleteThingGroup({ thingGroupName: 'half', expectedVersion: 7 })).resolves.toEqual({});
    await expectGoneForGood('half', 'after-crash');
  });

  it('finishes a deletion that stopped after the last member was out, before the group went', async () => {
    const group = (await store().getGroup('half'))!;
    await store().markDeleting(group, undefined, s.clock());
    for (const thingName of MEMBERS) await store().removeMember(group, thingName);
    await expectGoneToReaders(group);
    await groups().deleteThingGroup({ thingGroupName: 'half' });
    await expectGoneForGood('half', 'after-crash');
  });

  it('keeps the group while a membership the index does not list yet is left, until a later call removes it', async () => {
    // The registry index trails the table: a membership written just before the mark may reach it a moment later.
    const lagging = { TableName: s.table.tableName, Key: keys.membership(MEMBERS[0]!, 'half') };
    await s.table.client.send(new UpdateCommand({ ...lagging, UpdateExpression: 'REMOVE registryList, registryKey' }));

    await expect(groups().deleteThingGroup({ thingGroupName: 'half' })).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
    expect(await listedGroups(MEMBERS[0]!)).toEqual(['half']);
    expect(await listedGroups(MEMBERS[1]!)).toEqual([]);
    await expectGoneToReaders((await store().getGroup('half'))!);

    // The index catches up; DeleteThingGroup again takes the member out, then the group.
    await s.table.client.send(
      new UpdateCommand({
        ...lagging,
        UpdateExpression: 'SET registryList = :list, registryKey = :thing',
        ExpressionAttributeValues: { ':list': keys.membersOf('half'), ':thing': MEMBERS[0]! },
      }),
    );
    await groups().deleteThingGroup({ thingGroupName: 'half' });
    await expectGoneForGood('half', 'after-lag');
  });
});

describe('a group being deleted below a job target', () => {
  it('gives its members no execution of a job on the group above, which waits for it to go', async () => {
    await groups().createThingGroup({ thingGroupName: 'plant', attributes: {} });
    await groups().createThingGroup({ thingGroupName: 'wing', parentGroupName: 'plant', attributes: {} });
    await groups().addThingToThingGroup({ thingName: 'newcomer', thingGroupName: 'plant' });
    for (const thingName of MEMBERS.slice(0, 4))
      await groups().addThingToThingGroup({ thingName, thingGroupName: 'wing' });
    const wing = (await store().getGroup('wing'))!;
    await store().markDeleting(wing, undefined, s.clock());
    // Stopped there: all four members still in it.

    await groupJob('plant-wide', 'plant');
    await s.workDone();
    expect((await executionsOfJob(s.executions, 'plant-wide')).map((e) => e.thingName)).toEqual(['newcomer']);
    expect(
      (await groups().listThingsInThingGroup({ thingGroupName: 'plant', recursive: true, maxResults: 50 })).things,
    ).toEqual(['newcomer']);
    await expect(groups().deleteThingGroup({ thingGroupName: 'plant' })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );

    await groups().deleteThingGroup({ thingGroupName: 'wing' });
    await groups().deleteThingGroup({ thingGroupName: 'plant' });
    for (const thingName of MEMBERS.slice(0, 4)) expect(await listedGroups(thingName)).toEqual(['half']);
  });
});

describe('DynamoDB calls (docs/api.md)', () => {
  const callsOf = async (run: () => Promise<unknown>) => {
    s.table.commands.length = 0;
    await run();
    return [...s.table.commands];
  };

  it('DeleteThingGroup of 12 members: the group, its children, the mark, its members, one transaction, the group', async () => {
    expect(await callsOf(() => groups().deleteThingGroup({ thingGroupName: 'half' }))).toEqual([
      'GetItem',
      'Query',
      'UpdateItem',
      'Query',
      'TransactWriteItems',
      'DeleteItem',
    ]);
  });

  it("DeleteThing of a thing in two groups: its memberships out in one transaction with the groups' counts", async () => {
    await groups().createThingGroup({ thingGroupName: 'other', attributes: {} });
    await groups().addThingToThingGroup({ thingName: MEMBERS[0]!, thingGroupName: 'other' });
    expect(await callsOf(() => s.services.registry.deleteThing({ thingName: MEMBERS[0]! }))).toEqual([
      'PutItem',
      'DeleteItem',
      'Query',
      'Query',
      'TransactWriteItems',
    ]);
  });
});

describe('DeleteThing beside DeleteThingGroup', () => {
  it('lets the group go whether its members were deleted before, during or after its deletion', async () => {
    const [before, during] = [MEMBERS.slice(0, 3), MEMBERS.slice(3, 9)];
    for (const thingName of before) await s.services.registry.deleteThing({ thingName });
    await Promise.all([
      groups().deleteThingGroup({ thingGroupName: 'half' }),
      ...during.map((thingName) => s.services.registry.deleteThing({ thingName })),
    ]);
    await expect(groups().describeThingGroup({ thingGroupName: 'half' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const rest = MEMBERS.slice(9);
    for (const thingName of rest) expect(await listedGroups(thingName)).toEqual([]);
    await groups().createThingGroup({ thingGroupName: 'half', attributes: {} });
    for (const thingName of rest) await groups().addThingToThingGroup({ thingName, thingGroupName: 'half' });
    await s.services.registry.deleteThing({ thingName: rest[0]! });
    // The deleted member counted out of the new group: it goes at once.
    await groups().deleteThingGroup({ thingGroupName: 'half' });
    await expect(groups().describeThingGroup({ thingGroupName: 'half' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
