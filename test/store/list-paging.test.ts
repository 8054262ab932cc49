import { beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../support/services';

/**
 * Every list of the management API on DynamoDB Local, sized so that its last page ends exactly at the page size:
 * AWS answers no nextToken there, and neither do we (a DynamoDB query that stops at its Limit still gives a
 * LastEvaluatedKey, which must not become a token for an empty page).
 */

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
const N = 4;
const names = (prefix: string, n = N) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Every page of a list, following nextToken: the size of each. */
async function pageSizes(
  list: (page: { maxResults: number; nextToken?: string }) => Promise<{ nextToken?: string } & object>,
  count: (answer: object) => number,
  maxResults: number,
): Promise<number[]> {
  const sizes: number[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await list({ maxResults, ...(nextToken ? { nextToken } : {}) });
    sizes.push(count(answer));
    nextToken = answer.nextToken;
  } while (nextToken && sizes.length < 50);
  return sizes;
}

const sizeOf = (field: string) => (answer: object) => ((answer as Record<string, unknown[]>)[field] ?? []).length;

beforeAll(async () => {
  s = await createServices({ implicitThings: false });
  const { registry, groups, templates } = s.services;
  for (const thing of names('thing-')) await registry.createThing({ thingName: thing, attributes: {} });
  await groups.createThingGroup({ thingGroupName: 'top', attributes: {} });
  await groups.createThingGroup({ thingGroupName: 'mid', parentGroupName: 'top', attributes: {} });
  for (const group of names('leaf-')) await groups.createThingGroup({ thingGroupName: group, attributes: {} });
  // Two things in `top`, two in `mid`: four in `top`, recursively.
  for (const [i, thing] of names('thing-').entries())
    await groups.addThingToThingGroup({ thingName: thing, thingGroupName: i < 2 ? 'top' : 'mid' });
  for (const group of names('leaf-'))
    await groups.addThingToThingGroup({ thingName: 'thing-0', thingGroupName: group });
  for (const id of names('template-'))
    await templates.createJobTemplate({ jobTemplateId: id, description: id, document: '{}' });
  for (const job of names('job-')) await s.createJob(job, names('thing-'));
  await s.workDone();
});

describe('the last page of every list has no nextToken', () => {
  const cases: [string, (page: { maxResults: number; nextToken?: string }) => Promise<object>, string, number][] = [
    ['ListJobs', (p) => s.management.listJobs(p), 'jobs', N],
    ['ListJobs by status', (p) => s.management.listJobs({ ...p, status: 'IN_PROGRESS' }), 'jobs', N],
    ['ListJobs by target selection', (p) => s.management.listJobs({ ...p, targetSelection: 'SNAPSHOT' }), 'jobs', N],
    [
      'ListJobExecutionsForJob',
      (p) => s.management.listExecutionsForJob({ ...p, jobId: 'job-0' }),
      'executionSummaries',
      N,
    ],
    [
      'ListJobExecutionsForThing',
      (p) => s.management.listExecutionsForThing({ ...p, thingName: 'thing-0' }),
      'executionSummaries',
      N,
    ],
    ['ListThings', (p) => s.services.registry.listThings(p), 'things', N],
    ['ListThingGroups', (p) => s.services.groups.listThingGroups({ ...p, namePrefix: 'leaf-' }), 'thingGroups', N],
    [
      'ListThingsInThingGroup, recursive',
      (p) => s.services.groups.listThingsInThingGroup({ ...p, thingGroupName: 'top', recursive: true }),
      'things',
      N,
    ],
    [
      'ListThingGroupsForThing',
      (p) => s.services.groups.listThingGroupsForThing({ ...p, thingName: 'thing-0' }),
      'thingGroups',
      N + 1,
    ],
    ['ListJobTemplates', (p) => s.services.templates.listJobTemplates(p), 'jobTemplates', N],
  ];

  for (const [operation, list, field, total] of cases) {
    it(`${operation}: one page of exactly all, or full pages and no empty one`, async () => {
      expect(await pageSizes(list as never, sizeOf(field), total)).toEqual([total]);
      const half = Math.ceil(total / 2);
      expect(await pageSizes(list as never, sizeOf(field), half)).toEqual(
        total % half ? [half, total % half] : [half, half],
      );
      expect(await pageSizes(list as never, sizeOf(field), 1)).toEqual(Array(total).fill(1));
    });
  }

  it('reads one query for a page that ends the list exactly', async () => {
    const before = s.table.commands.length;
    await s.services.templates.listJobTemplates({ maxResults: N });
    expect(s.table.commands.slice(before)).toEqual(['Query']);
  });
});
