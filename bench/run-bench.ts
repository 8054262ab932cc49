import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../lambdas/store/table/dynamo-client';
import { type LocalService, startLocalService } from '../local/local-service';
import { startBareRelay } from './floor/bare-relay';
import { measureBundles } from './meters/bundles';
import { type CallMeter, meterDynamoCalls } from './meters/call-meter';
import { type HandlerTimeStats, measureHandlerTime } from './meters/handler-time';
import { ownCpuMs, processCpuMs } from './meters/process-cpu';
import { measureStarts } from './meters/start-time';
import { type HopStats, LatencyCollector, ResultCollector, summarizeHop } from './meters/summary';
import type { BenchOptions } from './options';
import { drawChart } from './report/chart';
import { type BenchResults, GOALS, renderMarkdown } from './report/report';
import { findShortfalls } from './report/shortfalls';
import { type DriverProcess, startDriverProcess } from './workload/driver-process';
import { type Fleet, planFleet, seedFleet } from './workload/seed';
import { type CpuByProcess, OPERATIONS, type PhaseRequest, type Target } from './workload/workload';

export type Progress = (line: string) => void;

/**
 * One benchmark run: the local runner on in-memory DynamoDB Local, a seeded
 * fleet, every operation measured against its floor round by round, then the
 * bundles; the results are written as JSON, markdown and an SVG chart.
 */
export async function runBench(options: BenchOptions, progress: Progress = () => {}): Promise<BenchResults> {
  let meter: CallMeter | undefined;
  progress('starting DynamoDB Local (in memory) and the local runner');
  const service = await startLocalService({
    inMemory: true,
    tableName: 'bench-jobs',
    // The devices of the bench are not registered: it measures the device path, not the registry.
    implicitThings: true,
    // In AWS the counts aggregator is a Lambda of its own, outside the request path: here it counts between phases, not
    // during them.
    streamPollIntervalMs: 3_600_000,
    // Nor does a write wait for it: the runner's own bookkeeping, not the service's.
    settleWrites: false,
    // The stream poller shares this client but is idle during phases (above), so every call counted is a device
    // request's.
    observeDynamoClient: (client) => (meter = meterDynamoCalls(client)),
  });
  // The service's things are split between the device SDK and the plain HTTP client.
  const latencyThings = Math.min(options.latencyThings, Math.floor(options.things / 2));
  const latencyRounds = latencyThings ? options.latencyRounds : 0;
  // The latency rounds come after the throughput rounds, each on a job of its own.
  const fleet = planFleet(options.things, options.jobs + latencyRounds);
  let driver: DriverProcess | undefined;
  const collector = new ResultCollector();
  const latencyCollector = new LatencyCollector();
  let handlerTime: HandlerTimeStats[] | undefined;
  let hop: HopStats | undefined;
  try {
    progress(
      `seeding ${fleet.serviceThings.length + fleet.floorThings.length} things with ${fleet.jobIds.length} queued jobs each`,
    );
    const seeder = createDocumentClient({ endpoint: service.dynamoEndpoint });
    await seedFleet(seeder, service.tableName, fleet);
    seeder.destroy();
    await service.countsCaughtUp();
    await primeJobDocuments(service, fleet);
    driver = await startDriverProcess({
      deviceEndpoint: service.deviceEndpoint,
      dynamoEndpoint: service.dynamoEndpoint,
      tableName: service.tableName,
      concurrency: options.concurrency,
    });
    for (let round = 0; round < options.jobs; round++) {
      const measured = round >= options.warmupRounds;
      progress(`round ${round + 1} of ${options.jobs}${measured ? '' : ' (warm-up)'}`);
      // Alternate who goes first, so drift in DynamoDB Local (garbage collection, JIT) favours neither side.
      const order: Target[] = round % 2 === 0 ? ['service', 'floor'] : ['floor', 'service'];
      for (const { id } of OPERATIONS) {
        for (const target of order) {
          const thingNames = target === 'service' ? fleet.serviceThings : fleet.floorThings;
          const { phase, tally, cpu } = await measurePhase(service, driver, meter!, {
            operation: id,
            target,
            thingNames,
            jobId: fleet.jobIds[round]!,
          });
          if (measured) collector.add(id, target, phase, tally, cpu);
        }
      }
    }
    for (let round = 0; round < latencyRounds; round++) {
      progress(
        `latency round ${round + 1} of ${latencyRounds}: ${latencyThings} things per side (device SDK, plain HTTP, floor), one request at a time`,
      );
      const thingNames = {
        service: fleet.serviceThings.slice(0, latencyThings),
        'plain-http': fleet.serviceThings.slice(latencyThings, 2 * latencyThings),
        floor: fleet.floorThings.slice(0, latencyThings),
      };
      for (const { id } of OPERATIONS) {
        await service.countsCaughtUp();
        latencyCollector.add(
          id,
          await driver.latency({ operation: id, jobId: fleet.jobIds[options.jobs + round]!, thingNames }),
        );
      }
    }
    if (latencyRounds) {
      const requests = 5 * latencyThings;
      progress(
        `the hop alone: ${requests} reads straight to DynamoDB Local and through a bare relay in this process, one at a time`,
      );
      const relay = await startBareRelay(service.dynamoEndpoint);
      try {
        hop = summarizeHop(
          await driver.hop({
            relayEndpoint: relay.endpoint,
            thingName: fleet.floorThings[0]!,
            jobId: fleet.jobIds[0]!,
            requests,
          }),
        );
      } finally {
        await relay.stop();
      }
      // Floor things the latency rounds left alone: their next job is the first latency round's.
      progress(
        `warm handler time: the route handlers called in this process, ${latencyThings} things, one request at a time`,
      );
      await service.countsCaughtUp();
      handlerTime = await measureHandlerTime(
        service,
        fleet.floorThings.slice(latencyThings, 2 * latencyThings),
        fleet.jobIds[options.jobs]!,
      );
    }
  } finally {
    await driver?.stop();
    await service.stop();
  }
  const operations = collector.summarize();
  const latency = latencyRounds ? latencyCollector.summarize() : undefined;
  // With nothing else running: each start has the machine to itself, as a user's does (before the synth, whose writes
  // the disk is still flushing after).
  const starts = options.starts ? await measureStarts(options.starts, progress) : undefined;
  let bundles: Awaited<ReturnType<typeof measureBundles>> | undefined;
  if (options.bundles) {
    progress('synthesizing the stacks to measure each Lambda bundle');
    bundles = await measureBundles(options.coldLoads);
  }
  const { outDir, ...settings } = options;
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
    },
    options: settings,
    goals: GOALS,
    operations,
    ...(latency ? { latency } : {}),
    ...(hop ? { hop } : {}),
    ...(handlerTime ? { handlerTime } : {}),
    ...(bundles ? { bundles } : {}),
    ...(starts ? { starts } : {}),
    shortfalls: findShortfalls(operations, bundles, latency, starts, hop),
  };
  writeResults(outDir, results);
  return results;
}

/** One phase, with the DynamoDB calls it made and the CPU time each process spent on it. */
async function measurePhase(service: LocalService, driver: DriverProcess, meter: CallMeter, request: PhaseRequest) {
  // The stream poller counts the last phase's changes now, outside the timed phases.
  await service.countsCaughtUp();
  meter.reset();
  const runnerCpuBefore = ownCpuMs();
  const dynamoCpuBefore = processCpuMs(service.dynamoProcessId);
  const phase = await driver.run(request);
  const dynamoCpuAfter = processCpuMs(service.dynamoProcessId);
  const cpu: CpuByProcess = {
    deviceDriver: phase.driverCpuMs,
    localRunner: ownCpuMs() - runnerCpuBefore,
    ...(dynamoCpuBefore !== undefined && dynamoCpuAfter !== undefined
      ? { dynamoDbLocal: dynamoCpuAfter - dynamoCpuBefore }
      : {}),
  };
  // The service's calls are counted in this process; the floor's, in the driver.
  const tally = request.target === 'service' ? meter.snapshot() : phase.tally!;
  return { phase, tally, cpu };
}

/**
 * A Lambda container reads each job's document once and keeps it; the
 * benchmark measures that steady state, so each job's document is read once
 * before any phase is timed.
 */
async function primeJobDocuments(service: LocalService, fleet: Fleet): Promise<void> {
  const thingName = fleet.serviceThings[0]!;
  for (const jobId of fleet.jobIds) {
    const response = await fetch(`${service.deviceEndpoint}/things/${thingName}/jobs/${jobId}?includeJobDocument=true`);
    if (!response.ok)
      throw new Error(`Could not read the document of ${jobId}: ${response.status} ${await response.text()}`);
  }
}

function writeResults(outDir: string, results: BenchResults): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'results.md'), renderMarkdown(results));
  const subtitle = `${results.options.things} things per side, ${results.options.concurrency} in flight, ${results.machine.cpus} CPUs, Node ${results.machine.node}, ${results.generatedAt.slice(0, 10)}`;
  writeFileSync(join(outDir, 'chart.svg'), drawChart(results.operations, subtitle));
}
