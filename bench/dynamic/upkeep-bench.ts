import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicMembershipUpkeep } from '../../lambdas/jobs/dynamic/membership-upkeep';
import type { VersionedThing } from '../../lambdas/jobs/dynamic/store';
import { DynamoDynamicGroupStore } from '../../lambdas/store/dynamic/dynamic-groups';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { startLocalService } from '../../local/local-service';
import { meterDynamoCalls } from '../meters/call-meter';
import { type CallTally, callsText } from '../workload/workload';

export interface UpkeepBenchOptions {
  /** Dynamic groups of each run (one fresh table per count). */
  groupCounts: number[];
  /** Changes of each kind, there and back (each a measured change). */
  repeats: number;
  outDir: string;
}

/** One kind of thing change against N dynamic groups: what the upkeep did for one such change. */
export interface UpkeepMeasure {
  label: string;
  /** Dynamic groups whose answer the change moved: a membership written each. */
  moved: number;
  medianMs: number;
  maxMs: number;
  samples: number;
  /** The calls one change made (every change of a kind makes the same). */
  calls: CallTally;
}

export interface UpkeepResults {
  runs: { groups: number; changes: UpkeepMeasure[] }[];
}

/** Group g of N holds `attributes.firmware < (g+1)·step`, step 10/N: the thresholds cover 0 to 10 evenly. */
const stepOf = (groups: number) => 10 / groups;

/**
 * The dynamic groups' upkeep per thing change, on the local runner (in-memory DynamoDB Local), with N dynamic groups:
 * the membership reactor's work for one change (DynamicMembershipUpkeep.followThings, as the stream's record drives
 * it), timed, with its DynamoDB calls. The runner's own stream reader is held off, so each change is followed once,
 * here. Kinds: a thing created matching every group; an update that moves one group; one that moves half of them;
 * one of an attribute no query reads (moves none).
 */
export async function runUpkeepBench(
  options: UpkeepBenchOptions,
  progress: (line: string) => void,
): Promise<UpkeepResults> {
  const runs: UpkeepResults['runs'] = [];
  for (const groups of options.groupCounts) {
    progress(`${groups} dynamic groups`);
    runs.push({ groups, changes: await measureWith(groups, options.repeats) });
  }
  const results = { runs };
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'dynamic-upkeep.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(options.outDir, 'dynamic-upkeep.md'), renderUpkeep(results, options.repeats));
  return results;
}

async function measureWith(groups: number, repeats: number): Promise<UpkeepMeasure[]> {
  const service = await startLocalService({
    inMemory: true,
    tableName: `bench-upkeep-${groups}`,
    streamPollIntervalMs: 3_600_000,
    settleWrites: false,
  });
  try {
    const send = async (method: string, path: string, body: unknown) => {
      const answer = await fetch(`${service.managementEndpoint}${path}`, { method, body: JSON.stringify(body) });
      if (answer.status !== 200) throw new Error(`${method} ${path} answered ${answer.status}: ${await answer.text()}`);
    };
    const client = createDocumentClient({ endpoint: service.dynamoEndpoint });
    const meter = meterDynamoCalls(client);
    const store = new DynamoDynamicGroupStore(client, service.tableName);
    const upkeep = new DynamicMembershipUpkeep(store, async () => undefined, Date.now);
    await send('POST', '/indexing/config', { thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } });
    const step = stepOf(groups);
    for (let g = 0; g < groups; g++)
      await send('POST', `/dynamic-thing-groups/below-${g}`, {
        queryString: `attributes.firmware < ${((g + 1) * step).toFixed(2)}`,
      });
    const firmware = (steps: number) => (steps * step).toFixed(3);
    const low = firmware(0.5);

    /** The upkeep of one change, timed and metered; the thing read before and after it, outside the meter. */
    const follow = async (before: VersionedThing | undefined, change: () => Promise<void>, name = 'd') => {
      await change();
      const after = (await store.thing(name))!;
      meter.reset();
      const start = performance.now();
      const writes = await upkeep.followThings([{ ...(before ? { before } : {}), after }]);
      return { ms: performance.now() - start, calls: meter.snapshot(), writes, after };
    };
    const measure = (label: string, samples: Awaited<ReturnType<typeof follow>>[]): UpkeepMeasure => {
      const times = samples.map((s) => s.ms).sort((a, b) => a - b);
      return {
        label,
        moved: samples[0]!.writes,
        medianMs: times[Math.floor(times.length / 2)]!,
        maxMs: times.at(-1)!,
        samples: samples.length,
        calls: samples[0]!.calls,
      };
    };

    // A first change, left out: the first calls warm the connections and the JIT.
    await send('POST', '/things/warm-up', { attributePayload: { attributes: { firmware: low } } });
    await upkeep.followThings([{ after: (await store.thing('warm-up'))! }]);
    const create = (name: string) => () =>
      send('POST', `/things/${name}`, { attributePayload: { attributes: { firmware: low, site: 'a' } } });
    const creations: Awaited<ReturnType<typeof follow>>[] = [];
    for (let r = 0; r < 2 * repeats; r++) creations.push(await follow(undefined, create(`new-${r}`), `new-${r}`));
    const changes = [measure('created, matching every group', creations)];
    let thing = (await follow(undefined, create('d'))).after;
    const update = (attributes: Record<string, string>) => () =>
      send('PATCH', '/things/d', { attributePayload: { attributes, merge: true } });
    const kinds: [string, Record<string, string>, Record<string, string>][] = [
      ['firmware across one threshold (moves 1 group)', { firmware: firmware(1.5) }, { firmware: low }],
      ['firmware across half the thresholds', { firmware: firmware(Math.floor(groups / 2) + 0.5) }, { firmware: low }],
      ['an attribute no query reads (moves none)', { site: 'b' }, { site: 'a' }],
    ];
    for (const [label, there, back] of kinds) {
      const samples: Awaited<ReturnType<typeof follow>>[] = [];
      for (let r = 0; r < repeats; r++) {
        for (const attributes of [there, back]) {
          const sample = await follow(thing, update(attributes));
          samples.push(sample);
          thing = sample.after;
        }
      }
      changes.push(measure(label, samples));
    }
    return changes;
  } finally {
    await service.stop();
  }
}

export function renderUpkeep(r: UpkeepResults, repeats: number): string {
  const rows = r.runs.flatMap((run) =>
    run.changes.map(
      (c, i) =>
        `| ${i === 0 ? run.groups : ''} | ${c.label} | ${c.moved} | ${c.medianMs.toFixed(1)} ms | ${c.maxMs.toFixed(1)} ms | ` +
        `${callsText(c.calls)} | ${c.calls.capacityUnits} |`,
    ),
  );
  return [
    '# Dynamic groups: the upkeep per thing change',
    '',
    "The membership reactor's work for one change of a thing (`DynamicMembershipUpkeep.followThings`, as a stream " +
      'record drives it), on the local runner (in-memory DynamoDB Local), with N dynamic groups ' +
      '`attributes.firmware < t`, their thresholds spread evenly. Each update is measured there and back, ' +
      `${repeats} times (${2 * repeats} changes), and as many things created, after a first change left out. Writes are the memberships the change moved; ` +
      'capacity is what DynamoDB Local reports (ReturnConsumedCapacity TOTAL).',
    '',
    '| Dynamic groups | Change | Memberships written | Upkeep (median) | Upkeep (max) | DynamoDB calls | Capacity units |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
