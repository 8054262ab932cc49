import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { forEachLimited, quiet } from '../../lambdas/jobs/shared/concurrency';
import { ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { keys } from '../../lambdas/store/table/keys';
import { createServices, executionsOfJob } from '../support/services';

/** DeleteThingGroup racing the writes that put things into the group, on DynamoDB Local. */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

const THINGS = Array.from({ length: 40 }, (_, i) => `member-${String(i).padStart(2, '0')}`);

beforeEach(async () => {
  s = await createServices({ implicitThings: false });
  for (const thingName of THINGS) await s.services.registry.createThing({ thingName, attributes: {} });
});

afterEach(async () => {
  await s.workDone();
  s.services.dispose();
  await s.table.drop();
});

const groups = () => s.services.groups;
const add = (thingName: string, thingGroupName: string) => groups().addThingToThingGroup({ thingName, thingGroupName });
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
/** The count of groups the thing item keeps for the 10-group limit. */
const groupCountOf = async (thingName: string) =>
  ((await s.table.client.send(new GetCommand({ TableName: s.table.tableName, Key: keys.thing(thingName) }))).Item
    ?.groupCount as number | undefined) ?? 0;

/**
 * No thing lists the deleted group; each thing's count of groups agrees with the groups it lists, each of which exists
 * and lets it go (which it then does).
 */
async function expectMembershipsOfLiveGroupsOnly(deletedGroup: string): Promise<void> {
  const stale: string[] = [];
  for (const thingName of THINGS) {
    const listed = await listedGroups(thingName);
    if (listed.includes(deletedGroup)) stale.push(thingName);
    expect(await groupCountOf(thingName), thingName).toBe(listed.length);
    for (const groupName of listed.filter((name) => name !== deletedGroup)) {
      await expect(
        groups().describeThingGroup({ thingGroupName: groupName }),
        `${thingName} in ${groupName}`,
      ).resolves.toBeDefined();
      await expect(groups().removeThingFromThingGroup({ thingName, thingGroupName: groupName })).resolves.toEqual({});
    }
  }
  expect(stale, 'things still listing the deleted group').toEqual([]);
}

/** The group made again under the name starts with no member, and a job on it reaches no thing. */
async function expectRecreatedEmpty(groupName: string, jobId: string): Promise<void> {
  await groups().createThingGroup({ thingGroupName: groupName, attributes: {} });
  expect(
    (await groups().listThingsInThingGroup({ thingGroupName: groupName, recursive: false, maxResults: 250 })).things,
  ).toEqual([]);
  await groupJob(jobId, groupName);
  await s.workDone();
  expect(await executionsOfJob(s.executions, jobId)).toEqual([]);
}

describe('AddThingToThingGroup racing DeleteThingGroup', () => {
  // 40 adds, 8 in flight; the deletion starts once none, a few, half or most of them have answered, so that it marks
  // the group, and removes its members, while others are still being written. One round a test: each has the time a
  // loaded machine needs.
  const addedPerRound: number[] = [];
  it.each([0, 4, 12, 24])(
    'leaves no thing in the deleted group when the deletion starts after %i of 40 adds answered',
    async (answeredFirst) => {
      await groups().createThingGroup({ thingGroupName: 'doomed', attributes: {} });
      const outcomes: PromiseSettledResult<unknown>[] = [];
      let deletion: Promise<object> | undefined;
      const startDeletion = () => (deletion ??= quiet(groups().deleteThingGroup({ thingGroupName: 'doomed' })));
      if (answeredFirst === 0) startDeletion();
      await forEachLimited(THINGS, 8, async (thingName) => {
        outcomes.push(...(await Promise.allSettled([add(thingName, 'doomed')])));
        if (outcomes.length === answeredFirst) startDeletion();
      });
      await startDeletion();
      addedPerRound.push(outcomes.filter((outcome) => outcome.status === 'fulfilled').length);

      // Each add either got in before the deletion began (and was taken out by it) or found no group.
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ResourceNotFoundException);
      await expect(groups().describeThingGroup({ thingGroupName: 'doomed' })).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
      await expectMembershipsOfLiveGroupsOnly('doomed');
      await expectRecreatedEmpty('doomed', `after-${answeredFirst}`);
    },
  );

  it('had the deletion land among the adds: some got in before its mark, some found it', () => {
    expect(addedPerRound, 'rounds run').toHaveLength(4);
    expect(
      addedPerRound.some((added) => added > 0 && added < THINGS.length),
      `${addedPerRound}`,
    ).toBe(true);
  });
});
