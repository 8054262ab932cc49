import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { startLocalService } from '../../local/local-service';
import { seedGroupFleet, thingNames } from '../fan-out/group-fleet';
import { type CallMeter, meterDynamoCalls } from '../meters/call-meter';
import { type CallTally, callsText } from '../workload/workload';

export interface SearchBenchOptions {
  things: number;
  outDir: string;
}

/** One query's first two pages: the median answer time of each over a few tries, and the calls one answer made. */
export interface SearchMeasure {
  label: string;
  indexName: string;
  query: string;
  pages: { medianMs: number; found: number; more: boolean; calls: CallTally }[];
}

export interface SearchResults {
  things: number;
  groups: number;
  maxResults: number;
  searches: SearchMeasure[];
}

const GROUPS = 10;
const MAX_RESULTS = 100;
const TRIES = 5;

/** Thing `i` of the fleet: in plant `i mod 10`, with firmware 1.0 to 4.9 by tens of things (so the two are apart). */
const firmwareOf = (i: number) => (1 + (Math.floor(i / GROUPS) % 40) / 10).toFixed(1);

const SEARCHES = (middle: string): Omit<SearchMeasure, 'pages'>[] => [
  { label: 'one thing by name (GetItem)', indexName: 'AWS_Things', query: `thingName:${middle}` },
  { label: 'a name prefix', indexName: 'AWS_Things', query: `thingName:${middle.slice(0, -2)}*` },
  {
    label: "a group's members, filtered",
    indexName: 'AWS_Things',
    query: 'thingGroupNames:plant-7 AND attributes.firmware<3.1',
  },
  { label: 'every thing', indexName: 'AWS_Things', query: '*' },
  {
    label: 'attributes only: 5.25% match',
    indexName: 'AWS_Things',
    query: 'attributes.plant:7 AND attributes.firmware<3.1',
  },
  {
    label: 'attributes only: 0.25% match',
    indexName: 'AWS_Things',
    query: 'attributes.plant:7 AND attributes.firmware:4.9',
  },
  { label: 'thing groups by prefix', indexName: 'AWS_ThingGroups', query: 'thingGroupName:plant-*' },
];

/**
 * SearchIndex over a registry of `things` things in 10 groups, on the local runner (in-memory DynamoDB Local): for a
 * query of each keyed read and two that no key serves, the first page and the next one, timed over HTTP, with the
 * DynamoDB calls each answer made.
 */
export async function runSearchBench(
  options: SearchBenchOptions,
  progress: (line: string) => void,
): Promise<SearchResults> {
  let meter: CallMeter | undefined;
  const service = await startLocalService({
    inMemory: true,
    tableName: 'bench-search',
    streamPollIntervalMs: 3_600_000,
    settleWrites: false,
    observeDynamoClient: (client) => (meter = meterDynamoCalls(client)),
  });
  try {
    progress(`seeding ${options.things} registered things in ${GROUPS} thing groups, with attributes`);
    const names = thingNames('sensor', options.things);
    const index = new Map(names.map((name, i) => [name, i]));
    const groups = Array.from({ length: GROUPS }, (_, g) => ({
      name: `plant-${g}`,
      things: names.filter((_, i) => i % GROUPS === g),
    }));
    const seeder = createDocumentClient({ endpoint: service.dynamoEndpoint });
    await seedGroupFleet(seeder, service.tableName, groups, Date.now(), 8, (name) => {
      const i = index.get(name)!;
      return { firmware: firmwareOf(i), plant: String(i % GROUPS) };
    });
    const post = async (path: string, body: unknown) => {
      const answer = await fetch(`${service.managementEndpoint}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as { things: unknown[]; thingGroups: unknown[]; nextToken?: string };
    };
    await post('/indexing/config', {
      thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' },
      thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' },
    });
    const searches: SearchMeasure[] = [];
    for (const search of SEARCHES(names[Math.floor(names.length / 2)]!)) {
      progress(`${search.label}: ${search.query}`);
      const pages: SearchMeasure['pages'] = [];
      let nextToken: string | undefined;
      for (let p = 0; p < 2 && (p === 0 || nextToken); p++) {
        const body = { indexName: search.indexName, queryString: search.query, maxResults: MAX_RESULTS, nextToken };
        const times: number[] = [];
        let answer: Awaited<ReturnType<typeof post>> | undefined;
        let calls: CallTally = { calls: {}, capacityUnits: 0 };
        for (let t = 0; t < TRIES; t++) {
          meter!.reset();
          const start = performance.now();
          answer = await post('/indices/search', body);
          times.push(performance.now() - start);
          calls = meter!.snapshot();
        }
        times.sort((a, b) => a - b);
        pages.push({
          medianMs: times[Math.floor(times.length / 2)]!,
          found: answer!.things.length + answer!.thingGroups.length,
          more: answer!.nextToken !== undefined,
          calls,
        });
        nextToken = answer!.nextToken;
      }
      searches.push({ ...search, pages });
    }
    const results: SearchResults = { things: options.things, groups: GROUPS, maxResults: MAX_RESULTS, searches };
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, 'search.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(options.outDir, 'search.md'), renderSearch(results));
    return results;
  } finally {
    await service.stop();
  }
}

export function renderSearch(r: SearchResults): string {
  const rows = r.searches.flatMap((s) =>
    s.pages.map(
      (page, i) =>
        `| ${i === 0 ? `${s.label} \`${s.query}\`${s.indexName === 'AWS_Things' ? '' : ` (${s.indexName})`}` : ''} | ` +
        `${i + 1} | ${page.medianMs.toFixed(0)} ms | ${page.found}${page.more ? ' +' : ''} | ${callsText(page.calls)} |`,
    ),
  );
  return [
    `# SearchIndex at ${r.things.toLocaleString('en-US')} things`,
    '',
    `${r.things.toLocaleString('en-US')} things in ${r.groups} thing groups, on the local runner (in-memory DynamoDB Local); ` +
      `pages of ${r.maxResults}, each the median of ${TRIES} answers over HTTP. "+": a nextToken followed.`,
    '',
    '| Search | Page | Answer | Found | DynamoDB calls |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
