import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeThingGroupCommand,
  InvalidRequestException,
  ListJobExecutionsForJobCommand,
  ListJobTemplatesCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  paginateListThingGroups,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateThingGroupCommand,
  UpdateThingGroupsForThingCommand,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/**
 * ListThingGroups' subtree, UpdateThingGroup, UpdateThingGroupsForThing, and lists that end without a nextToken,
 * through @aws-sdk/client-iot and the AWS CLI on the local runner, as scripts written for AWS IoT call them.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const groupArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;
const group = (thingGroupName: string, parentGroupName?: string) =>
  f.iot.send(new CreateThingGroupCommand({ thingGroupName, ...(parentGroupName ? { parentGroupName } : {}) }));
const names = async (input: NonNullable<ConstructorParameters<typeof ListThingGroupsCommand>[0]>) =>
  ((await f.iot.send(new ListThingGroupsCommand(input))).thingGroups ?? []).map((g) => g.groupName).sort();
const groupsOf = async (thingName: string) =>
  ((await f.iot.send(new ListThingGroupsForThingCommand({ thingName }))).thingGroups ?? [])
    .map((g) => g.groupName)
    .sort();
const move = (thingName: string, thingGroupsToAdd: string[], thingGroupsToRemove: string[] = []) =>
  f.iot.send(new UpdateThingGroupsForThingCommand({ thingName, thingGroupsToAdd, thingGroupsToRemove }));
const describe_ = (thingGroupName: string) => f.iot.send(new DescribeThingGroupCommand({ thingGroupName }));

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  // The tree moto's suite builds from AWS's answers: tg-1a > (tg-2a > tg-3a, tg-3b), (tg-2b > tg-3c, tg-3d); tg-1b.
  await group('tg-1a');
  await group('tg-1b');
  await group('tg-2a', 'tg-1a');
  await group('tg-2b', 'tg-1a');
  await group('tg-3a', 'tg-2a');
  await group('tg-3b', 'tg-2a');
  await group('tg-3c', 'tg-2b');
  await group('tg-3d', 'tg-2b');
  for (const thingName of ['u-1', 'u-2', 'u-3']) await f.iot.send(new CreateThingCommand({ thingName }));
});

afterAll(() => f?.stop());

describe('ListThingGroups by parent', () => {
  it('lists the whole subtree unless recursive is false, with the name prefix on top', async () => {
    expect(await names({ parentGroup: 'tg-1a' })).toHaveLength(6);
    expect(await names({ parentGroup: 'tg-1a', recursive: true })).toHaveLength(6);
    expect(await names({ parentGroup: 'tg-1a', recursive: false })).toEqual(['tg-2a', 'tg-2b']);
    expect(await names({ parentGroup: 'tg-1a', namePrefixFilter: 'tg-3' })).toEqual([
      'tg-3a',
      'tg-3b',
      'tg-3c',
      'tg-3d',
    ]);
    expect(await names({ parentGroup: 'tg-1a', namePrefixFilter: 'tg-3', recursive: false })).toEqual([]);
    expect(await names({ parentGroup: 'tg-2a' })).toEqual(['tg-3a', 'tg-3b']);
    expect(await names({ parentGroup: 'tg-3a' })).toEqual([]);
    expect(await names({ namePrefixFilter: 'tg-', recursive: false })).toEqual(['tg-1a', 'tg-1b']);
    expect(await names({ namePrefixFilter: 'tg-' })).toHaveLength(8);
  });

  it('pages a subtree one group at a time, every group once, the last page without a nextToken', async () => {
    const pages: { groups: string[]; nextToken?: string }[] = [];
    for await (const page of paginateListThingGroups({ client: f.iot, pageSize: 2 }, { parentGroup: 'tg-1a' }))
      pages.push({ groups: (page.thingGroups ?? []).map((g) => g.groupName!), nextToken: page.nextToken });
    expect(pages.map((p) => p.groups.length)).toEqual([2, 2, 2]);
    expect(pages.flatMap((p) => p.groups).sort()).toEqual(['tg-2a', 'tg-2b', 'tg-3a', 'tg-3b', 'tg-3c', 'tg-3d']);
    expect(pages[2]!.nextToken).toBeUndefined();
  });
});

describe('DescribeThingGroup and CreateThingGroup as AWS answers them', () => {
  it('gives a root group no parent and no rootToParentThingGroups, and empty properties when it has none', async () => {
    const root = await describe_('tg-1a');
    expect(root.thingGroupMetadata).toEqual({ creationDate: expect.any(Date) });
    expect(root.thingGroupProperties).toEqual({});
    expect((await describe_('tg-3a')).thingGroupMetadata?.rootToParentThingGroups).toEqual([
      { groupName: 'tg-1a', groupArn: groupArn('tg-1a') },
      { groupName: 'tg-2a', groupArn: groupArn('tg-2a') },
    ]);
  });

  it('answers the same group again, and refuses other properties with AWS words', async () => {
    const first = await f.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'same', thingGroupProperties: { thingGroupDescription: 'x' } }),
    );
    const again = await f.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'same', thingGroupProperties: { thingGroupDescription: 'x' } }),
    );
    expect(again.thingGroupId).toBe(first.thingGroupId);
    const error = await group('same').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
    expect((error as Error).message).toBe(
      'Thing Group same already exists in current account with different properties',
    );
  });
});

describe('UpdateThingGroup', () => {
  it('replaces or merges attributes, removes one given empty, keeps what it is not given, one version each', async () => {
    await f.iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'upd',
        thingGroupProperties: { thingGroupDescription: 'first', attributePayload: { attributes: { a: '1', b: '2' } } },
      }),
    );
    const update = (thingGroupProperties: object, expectedVersion?: number) =>
      f.iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties, expectedVersion }));
    expect(await update({ attributePayload: { attributes: { c: '3', a: '' }, merge: true } })).toMatchObject({
      version: 2,
    });
    expect((await describe_('upd')).thingGroupProperties).toEqual({
      thingGroupDescription: 'first',
      attributePayload: { attributes: { b: '2', c: '3' } },
    });
    expect(await update({ thingGroupDescription: 'second', attributePayload: { attributes: { z: '9' } } }, 2)).toEqual(
      expect.objectContaining({ version: 3 }),
    );
    const described = await describe_('upd');
    expect(described.version).toBe(3);
    expect(described.thingGroupProperties).toEqual({
      thingGroupDescription: 'second',
      attributePayload: { attributes: { z: '9' } },
    });
  });

  it('refuses a stale expectedVersion (409) and a group that does not exist', async () => {
    const error = await f.iot
      .send(new UpdateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties: {}, expectedVersion: 1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictException);
    expect((error as VersionConflictException).$metadata.httpStatusCode).toBe(409);
    await expect(
      f.iot.send(new UpdateThingGroupCommand({ thingGroupName: 'never', thingGroupProperties: {} })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('UpdateThingGroupsForThing', () => {
  it('moves a thing within a tree and joins another tree in one call', async () => {
    await move('u-1', ['tg-3a']);
    await move('u-1', ['tg-3b', 'tg-1b'], ['tg-3a']);
    expect(await groupsOf('u-1')).toEqual(['tg-1b', 'tg-3b']);
    // The same call again changes nothing and is no error.
    await move('u-1', ['tg-3b', 'tg-1b'], ['tg-3a']);
    expect(await groupsOf('u-1')).toEqual(['tg-1b', 'tg-3b']);
  });

  it('refuses, changing nothing, two groups of one tree, a tree it stays in, a missing thing or group', async () => {
    await expect(move('u-2', ['tg-3a', 'tg-3c'])).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(move('u-1', ['tg-2a'], ['tg-1b'])).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(move('u-1', ['tg-3a'], ['never'])).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(move('nobody', ['tg-3a'])).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(move('u-1', ['tg-2a'], ['tg-2a'])).rejects.toBeInstanceOf(InvalidRequestException);
    expect(await groupsOf('u-1')).toEqual(['tg-1b', 'tg-3b']);
    expect(await groupsOf('u-2')).toEqual([]);
  });

  it('keeps a thing to ten groups, counting those it leaves in the same call', async () => {
    for (let i = 0; i < 11; i++) await group(`ten-${i}`);
    await move(
      'u-3',
      Array.from({ length: 10 }, (_, i) => `ten-${i}`),
    );
    await expect(move('u-3', ['ten-10'])).rejects.toBeInstanceOf(InvalidRequestException);
    await move('u-3', ['ten-10'], ['ten-0']);
    expect(await groupsOf('u-3')).toHaveLength(10);
    expect(await groupsOf('u-3')).toContain('ten-10');
  });

  it('accepts overrideDynamicGroups', async () => {
    await f.iot.send(
      new UpdateThingGroupsForThingCommand({
        thingName: 'u-2',
        thingGroupsToAdd: ['tg-1b'],
        overrideDynamicGroups: true,
      }),
    );
    expect(await groupsOf('u-2')).toEqual(['tg-1b']);
  });

  it('gives a thing it adds an execution of a continuous job on the group, and REMOVES it when it leaves', async () => {
    await group('cont');
    await f.iot.send(new CreateThingCommand({ thingName: 'u-cont' }));
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'cont-job',
        targets: [groupArn('cont')],
        targetSelection: 'CONTINUOUS',
        document: '{}',
      }),
    );
    const statuses = async () =>
      ((await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'cont-job' }))).executionSummaries ?? []).map(
        (e) => [e.thingArn!.split('/').pop(), e.jobExecutionSummary?.status],
      );
    await move('u-cont', ['cont']);
    expect(await statuses()).toEqual([['u-cont', 'QUEUED']]);
    await move('u-cont', [], ['cont']);
    expect(await statuses()).toEqual([['u-cont', 'REMOVED']]);
  });
});

describe('no nextToken on a last page', () => {
  it('ListJobTemplates ending exactly at maxResults', async () => {
    for (const id of ['tpl-1', 'tpl-2'])
      await f.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: id, document: '{}' }));
    const page = await f.iot.send(new ListJobTemplatesCommand({ maxResults: 2 }));
    expect(page.jobTemplates).toHaveLength(2);
    expect(page.nextToken).toBeUndefined();
    const first = await f.iot.send(new ListJobTemplatesCommand({ maxResults: 1 }));
    const second = await f.iot.send(new ListJobTemplatesCommand({ maxResults: 1, nextToken: first.nextToken }));
    expect([first.jobTemplates?.length, second.jobTemplates?.length, second.nextToken]).toEqual([1, 1, undefined]);
  });
});

describe('with the AWS CLI', () => {
  it('updates a group, moves a thing, lists a subtree, and answers a last page without a nextToken', async () => {
    expect(
      (
        await cli(
          'update-thing-group',
          '--thing-group-name',
          'upd',
          '--thing-group-properties',
          'thingGroupDescription="from the CLI",attributePayload={attributes={k=v},merge=true}',
        )
      ).json,
    ).toEqual({ version: 4 });
    expect((await cli('describe-thing-group', '--thing-group-name', 'upd')).json.thingGroupProperties).toEqual({
      thingGroupDescription: 'from the CLI',
      attributePayload: { attributes: { z: '9', k: 'v' } },
    });
    const moved = await cli(
      'update-thing-groups-for-thing',
      '--thing-name',
      'u-2',
      '--thing-groups-to-add',
      'tg-3d',
      '--thing-groups-to-remove',
      'tg-1b',
    );
    expect(moved.code).toBe(0);
    expect(await groupsOf('u-2')).toEqual(['tg-3d']);
    const stale = await cli(
      'update-thing-group',
      '--thing-group-name',
      'upd',
      '--thing-group-properties',
      'thingGroupDescription=x',
      '--expected-version',
      '1',
    );
    expect(stale.stderr).toContain('(VersionConflictException)');
    const subtree = await cli('list-thing-groups', '--parent-group', 'tg-2b', '--no-paginate', '--max-results', '2');
    expect(subtree.json.thingGroups.map((g: { groupName: string }) => g.groupName).sort()).toEqual(['tg-3c', 'tg-3d']);
    expect(subtree.json.nextToken).toBeUndefined();
    const templates = await cli('list-job-templates', '--no-paginate', '--max-results', '2');
    expect(templates.json.jobTemplates).toHaveLength(2);
    expect(templates.json.nextToken).toBeUndefined();
  });
});
