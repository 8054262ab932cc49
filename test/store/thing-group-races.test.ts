import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';
import { createServices } from '../support/services';

/** The rules of group membership hold when the requests race each other, on DynamoDB Local. */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

beforeEach(async () => {
  s = await createServices({ implicitThings: false });
  await s.services.registry.createThing({ thingName: 'racer', attributes: {} });
});

const add = (thingGroupName: string) => s.services.groups.addThingToThingGroup({ thingName: 'racer', thingGroupName });
const settle = (calls: Promise<unknown>[]) => Promise.allSettled(calls);

describe('AddThingToThingGroup, racing', () => {
  it('lets one of many adds to groups of one tree through, never two', async () => {
    await s.services.groups.createThingGroup({ thingGroupName: 'root', attributes: {} });
    const children = Array.from({ length: 8 }, (_, i) => `child-${i}`);
    for (const name of children)
      await s.services.groups.createThingGroup({ thingGroupName: name, parentGroupName: 'root', attributes: {} });

    const results = await settle([add('root'), ...children.map(add)]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidRequestException);
    expect(
      (await s.services.groups.listThingGroupsForThing({ thingName: 'racer', maxResults: 50 })).thingGroups,
    ).toHaveLength(1);
  });

  it('lets ten of fifteen adds to separate trees through, never an eleventh', async () => {
    const roots = Array.from({ length: 15 }, (_, i) => `tree-${i}`);
    for (const name of roots) await s.services.groups.createThingGroup({ thingGroupName: name, attributes: {} });

    const results = await settle(roots.map(add));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const groups = (await s.services.groups.listThingGroupsForThing({ thingName: 'racer', maxResults: 50 }))
      .thingGroups;
    expect(groups).toHaveLength(10);
    // The thing's count of groups agrees with its memberships: one removal frees exactly one place.
    await s.services.groups.removeThingFromThingGroup({ thingName: 'racer', thingGroupName: groups[0]!.groupName });
    const rest = roots.filter((name) => !groups.some((g) => g.groupName === name));
    await add(rest[0]!);
    await expect(add(rest[1]!)).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('adds a thing once however often the same add races itself', async () => {
    await s.services.groups.createThingGroup({ thingGroupName: 'solo', attributes: {} });
    const results = await settle(Array.from({ length: 6 }, () => add('solo')));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(
      (await s.services.groups.listThingsInThingGroup({ thingGroupName: 'solo', recursive: false, maxResults: 50 }))
        .things,
    ).toEqual(['racer']);
    // Counted once: nine more groups fit, not fewer.
    for (let i = 0; i < 9; i++) {
      await s.services.groups.createThingGroup({ thingGroupName: `more-${i}`, attributes: {} });
      await add(`more-${i}`);
    }
  });
});
