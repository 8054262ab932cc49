import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeJobCommand,
  DescribeThingGroupCommand,
  InvalidRequestException,
  ListJobExecutionsForJobCommand,
  ListJobExecutionsForThingCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  paginateListThingsInThingGroup,
  RemoveThingFromThingGroupCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** Static thing groups through @aws-sdk/client-iot and the AWS CLI. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const groupArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;
const group = (thingGroupName: string, parentGroupName?: string) =>
  f.iot.send(new CreateThingGroupCommand({ thingGroupName, ...(parentGroupName ? { parentGroupName } : {}) }));
const add = (thingName: string, thingGroupName: string) =>
  f.iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName }));
const thingsIn = async (thingGroupName: string, recursive = false) =>
  (await f.iot.send(new ListThingsInThingGroupCommand({ thingGroupName, recursive }))).things ?? [];
const groupsOf = async (thingName: string) =>
  ((await f.iot.send(new ListThingGroupsForThingCommand({ thingName }))).thingGroups ?? []).map((g) => g.groupName);

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  // A tree of three: fleet > europe > berlin; and a tree of its own: canary.
  await group('fleet');
  await group('europe', 'fleet');
  await group('berlin', 'europe');
  await group('canary');
  for (const thing of ['g-1', 'g-2', 'g-3', 'g-4']) await f.iot.send(new CreateThingCommand({ thingName: thing }));
});

afterAll(() => f?.stop());

describe('CreateThingGroup and DescribeThingGroup', () => {
  it('describes a nested group with its place in the tree', async () => {
    const described = await f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'berlin' }));
    expect(described).toMatchObject({
      thingGroupName: 'berlin',
      thingGroupArn: groupArn('berlin'),
      thingGroupId: expect.any(String),
      version: 1,
      thingGroupMetadata: {
        parentGroupName: 'europe',
        rootToParentThingGroups: [
          { groupName: 'fleet', groupArn: groupArn('fleet') },
          { groupName: 'europe', groupArn: groupArn('europe') },
        ],
        creationDate: expect.any(Date),
      },
    });
  });

  it('answers the same CreateThingGroup again alike, and refuses another of the same name', async () => {
    const first = await f.iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'props',
        thingGroupProperties: {
          thingGroupDescription: 'with props',
          attributePayload: { attributes: { tier: 'gold' } },
        },
      }),
    );
    const again = await f.iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'props',
        thingGroupProperties: {
          thingGroupDescription: 'with props',
          attributePayload: { attributes: { tier: 'gold' } },
        },
      }),
    );
    expect(again.thingGroupId).toBe(first.thingGroupId);
    expect((await f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'props' }))).thingGroupProperties).toEqual(
      {
        thingGroupDescription: 'with props',
        attributePayload: { attributes: { tier: 'gold' } },
      },
    );
    await expect(group('props', 'fleet')).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it('refuses a parent that does not exist, and a tree deeper than seven', async () => {
    await expect(group('orphan', 'no-such-parent')).rejects.toBeInstanceOf(InvalidRequestException);
    let parent = 'deep-1';
    await group(parent);
    for (let depth = 2; depth <= 7; depth++) {
      await group(`deep-${depth}`, parent);
      parent = `deep-${depth}`;
    }
    await expect(group('deep-8', parent)).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('does not know a group that was never created', async () => {
    await expect(f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'never' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('ListThingGroups', () => {
  const names = async (input: NonNullable<ConstructorParameters<typeof ListThingGroupsCommand>[0]>) =>
    ((await f.iot.send(new ListThingGroupsCommand(input))).thingGroups ?? []).map((g) => g.groupName);

  it('lists children, descendants, root groups only, and by name prefix', async () => {
    // As AWS: a parent's whole subtree unless recursive is false.
    expect(await names({ parentGroup: 'fleet' })).toEqual(['berlin', 'europe']);
    expect(await names({ parentGroup: 'fleet', recursive: false })).toEqual(['europe']);
    expect(await names({ parentGroup: 'fleet', recursive: true })).toEqual(['berlin', 'europe']);
    expect(await names({ recursive: false, namePrefixFilter: 'c' })).toEqual(['canary']);
    expect(await names({ namePrefixFilter: 'deep-' })).toHaveLength(7);
    expect(await names({ recursive: false })).not.toContain('europe');
  });

  it('says so when the parent does not exist', async () => {
    await expect(f.iot.send(new ListThingGroupsCommand({ parentGroup: 'never' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('membership', () => {
  it('adds things by name or ARN, lists them per group, recursively, and per thing', async () => {
    await add('g-1', 'fleet');
    await add('g-2', 'berlin');
    await f.iot.send(new AddThingToThingGroupCommand({ thingArn: thingArn('g-3'), thingGroupArn: groupArn('europe') }));
    await add('g-3', 'canary');
    // The same add again is no error.
    await add('g-1', 'fleet');

    expect(await thingsIn('fleet')).toEqual(['g-1']);
    expect((await thingsIn('fleet', true)).sort()).toEqual(['g-1', 'g-2', 'g-3']);
    expect((await thingsIn('europe', true)).sort()).toEqual(['g-2', 'g-3']);
    expect((await groupsOf('g-3')).sort()).toEqual(['canary', 'europe']);

    // Across pages too: one thing a page, every thing once.
    const paged: string[] = [];
    for await (const page of paginateListThingsInThingGroup(
      { client: f.iot, pageSize: 1 },
      { thingGroupName: 'fleet', recursive: true },
    ))
      paged.push(...(page.things ?? []));
    expect(paged.sort()).toEqual(['g-1', 'g-2', 'g-3']);
  });

  it('keeps a thing to one group of each tree', async () => {
    const error = await add('g-2', 'fleet').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect((error as Error).message).toContain('berlin');
  });

  it('keeps a thing to ten groups', async () => {
    for (let i = 0; i < 10; i++) await group(`many-${i}`);
    for (let i = 0; i < 10; i++) await add('g-4', `many-${i}`);
    await group('many-10');
    await expect(add('g-4', 'many-10')).rejects.toBeInstanceOf(InvalidRequestException);
    await f.iot.send(new RemoveThingFromThingGroupCommand({ thingName: 'g-4', thingGroupName: 'many-0' }));
    await add('g-4', 'many-10');
    expect(await groupsOf('g-4')).toHaveLength(10);
  });

  it('refuses a thing or a group that does not exist, and an ARN of another account', async () => {
    await expect(add('nobody', 'fleet')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(add('g-1', 'never')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      f.iot.send(
        new AddThingToThingGroupCommand({
          thingName: 'g-1',
          thingGroupArn: 'arn:aws:iot:us-east-1:999999999999:thinggroup/fleet',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(f.iot.send(new AddThingToThingGroupCommand({ thingName: 'g-1' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
  });

  it('removes a thing from a group; removing it again is no error', async () => {
    await f.iot.send(new RemoveThingFromThingGroupCommand({ thingName: 'g-3', thingGroupName: 'canary' }));
    await f.iot.send(new RemoveThingFromThingGroupCommand({ thingName: 'g-3', thingGroupName: 'canary' }));
    expect(await groupsOf('g-3')).toEqual(['europe']);
    expect(await thingsIn('canary')).toEqual([]);
  });

  it("forgets a deleted thing's groups", async () => {
    await f.iot.send(new CreateThingCommand({ thingName: 'short-lived' }));
    await add('short-lived', 'canary');
    await f.iot.send(new DeleteThingCommand({ thingName: 'short-lived' }));
    expect(await thingsIn('canary')).toEqual([]);
    await f.iot.send(new CreateThingCommand({ thingName: 'short-lived' }));
    expect(await groupsOf('short-lived')).toEqual([]);
  });
});

describe('DeleteThingGroup', () => {
  it('keeps a group with child groups, refuses a stale version, and deletes a leaf group, its things leaving it', async () => {
    const kept = await f.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'europe' })).catch((e: unknown) => e);
    expect(kept).toBeInstanceOf(InvalidRequestException);
    expect((kept as Error).message).toBe(
      'Cannot delete thing group : europe when there are still child groups attached to it',
    );
    await expect(
      f.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'berlin', expectedVersion: 9 })),
    ).rejects.toBeInstanceOf(VersionConflictException);
    await f.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'berlin', expectedVersion: 1 }));
    await expect(f.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'berlin' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await groupsOf('g-2')).toEqual([]);
    // Its slot in the tree is free again.
    await add('g-2', 'fleet');
    expect((await thingsIn('fleet', true)).sort()).toEqual(['g-1', 'g-2', 'g-3']);
  });

  it('is no error for a group that does not exist', async () => {
    await f.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'never' }));
  });
});

describe('jobs for thing groups (snapshot)', () => {
  it('gives an execution to each thing of a group and of the groups below it, and of the things named beside, once each', async () => {
    await group('plant');
    await group('line-a', 'plant');
    await group('cell-1', 'line-a');
    for (const thing of ['p-root', 'p-line', 'p-cell', 'p-alone'])
      await f.iot.send(new CreateThingCommand({ thingName: thing }));
    await add('p-root', 'plant');
    await add('p-line', 'line-a');
    await add('p-cell', 'cell-1');

    await f.iot.send(
      new CreateJobCommand({
        jobId: 'plant-job',
        targets: [groupArn('plant'), thingArn('p-alone'), thingArn('p-cell')],
        document: '{}',
      }),
    );

    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'plant-job' }));
    expect(job?.targets).toEqual([groupArn('plant'), thingArn('p-alone'), thingArn('p-cell')]);
    expect(job?.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 4 });
    const executions = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'plant-job' }));
    expect((executions.executionSummaries ?? []).map((e) => e.thingArn).sort()).toEqual(
      ['p-alone', 'p-cell', 'p-line', 'p-root'].map(thingArn),
    );
  });

  it('is a snapshot: a thing added to the group afterwards gets no execution, and a cancel reaches every member it had', async () => {
    await f.iot.send(new CreateThingCommand({ thingName: 'p-late' }));
    await add('p-late', 'line-a');
    expect(
      (await f.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'p-late' }))).executionSummaries,
    ).toEqual([]);

    await f.iot.send(new CancelJobCommand({ jobId: 'plant-job' }));
    const executions = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'plant-job' }));
    expect(new Set((executions.executionSummaries ?? []).map((e) => e.jobExecutionSummary?.status))).toEqual(
      new Set(['CANCELED']),
    );
  });

  it('refuses a group that does not exist, and creates nothing', async () => {
    const error = await f.iot
      .send(
        new CreateJobCommand({ jobId: 'ghost-job', targets: [groupArn('ghost'), thingArn('p-alone')], document: '{}' }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toContain('ghost');
    await expect(f.iot.send(new DescribeJobCommand({ jobId: 'ghost-job' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('thing groups with the AWS CLI', () => {
  it('creates, lists, fills, lists the things of and deletes a group', async () => {
    expect(
      await cli(
        'create-thing-group',
        '--thing-group-name',
        'cli-group',
        '--thing-group-properties',
        'thingGroupDescription=from the CLI',
      ),
    ).toMatchObject({ code: 0, json: { thingGroupName: 'cli-group' } });
    expect((await cli('add-thing-to-thing-group', '--thing-group-name', 'cli-group', '--thing-name', 'g-1')).code).toBe(
      0,
    );
    expect((await cli('list-things-in-thing-group', '--thing-group-name', 'cli-group')).json.things).toEqual(['g-1']);
    expect((await cli('list-thing-groups', '--name-prefix-filter', 'cli-')).json.thingGroups).toEqual([
      { groupName: 'cli-group', groupArn: groupArn('cli-group') },
    ]);
    expect((await cli('describe-thing-group', '--thing-group-name', 'cli-group')).json.thingGroupProperties).toEqual({
      thingGroupDescription: 'from the CLI',
    });
    expect(
      (await cli('remove-thing-from-thing-group', '--thing-group-name', 'cli-group', '--thing-name', 'g-1')).code,
    ).toBe(0);
    expect((await cli('delete-thing-group', '--thing-group-name', 'cli-group')).code).toBe(0);
    expect((await cli('describe-thing-group', '--thing-group-name', 'cli-group')).stderr).toContain(
      '(ResourceNotFoundException)',
    );
  });
});
