/**
 * The benchmark's device fleet, in its own process: runs each phase it is sent
 * against the service (the official device SDK over HTTP) or against the floor
 * (the same DynamoDB requests the service makes, straight to DynamoDB Local),
 * and answers with the latencies.
 */
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { forEachLimited } from '../../lambdas/jobs/shared/concurrency';
import { DynamoExecutionStore } from '../../lambdas/store/executions';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { floorOperations } from '../floor/floor-operations';
import { plainHttpClient, plainHttpOperations } from '../floor/plain-http-operations';
import { type CallMeter, meterDynamoCalls } from '../meters/call-meter';
import { ownCpuMs } from '../meters/process-cpu';
import type { Operation } from './answer-check';
import { check } from './answer-check';
import { serviceOperations } from './service-operations';
import {
  type DriverMessage,
  type DriverSetup,
  type HopRequest,
  type HopResult,
  LATENCY_SIDES,
  type LatencyRequest,
  type LatencyResult,
  type LatencySide,
  type OrchestratorMessage,
  type PhaseRequest,
  type PhaseResult,
} from './workload';

/** Every thing of the phase does the operation once, `concurrency` at a time. */
async function runPhase(operation: Operation, phase: PhaseRequest, concurrency: number): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const errors: Record<string, number> = {};
  const started = performance.now();
  const cpuBefore = ownCpuMs();
  await forEachLimited(phase.thingNames, concurrency, async (thingName) => {
    const sent = performance.now();
    try {
      await operation(thingName, phase.jobId);
      latenciesMs.push(performance.now() - sent);
    } catch (error) {
      const name = (error as Error).name || 'Error';
      errors[name] = (errors[name] ?? 0) + 1;
    }
  });
  const wallMs = performance.now() - started;
  return { latenciesMs, errors, wallMs, driverCpuMs: ownCpuMs() - cpuBefore };
}

/** The sides take turns, one request at a time: thing i of each side, then thing i + 1. */
async function runLatency(operations: Record<LatencySide, Operation>, latency: LatencyRequest): Promise<LatencyResult> {
  const result: LatencyResult = {
    latenciesMs: { service: [], 'plain-http': [], floor: [] },
    errors: { service: {}, 'plain-http': {}, floor: {} },
  };
  const count = Math.min(...LATENCY_SIDES.map((side) => latency.thingNames[side].length));
  for (let i = 0; i < count; i++) {
    // The order turns too, so no side always follows the same one.
    for (let s = 0; s < LATENCY_SIDES.length; s++) {
      const side = LATENCY_SIDES[(i + s) % LATENCY_SIDES.length]!;
      const sent = performance.now();
      try {
        await operations[side](latency.thingNames[side][i]!, latency.jobId);
        result.latenciesMs[side].push(performance.now() - sent);
      } catch (error) {
        const name = (error as Error).name || 'Error';
        result.errors[side][name] = (result.errors[side][name] ?? 0) + 1;
      }
    }
  }
  return result;
}

function startDriver(setup: DriverSetup) {
  const device = new IoTJobsDataPlaneClient({
    endpoint: setup.deviceEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A failure is reported, not retried away.
    maxAttempts: 1,
  });
  const floorClient = createDocumentClient({ endpoint: setup.dynamoEndpoint });
  const meter: CallMeter = meterDynamoCalls(floorClient);
  const plain = plainHttpClient(setup.deviceEndpoint, setup.concurrency);
  const operations = {
    service: serviceOperations(device),
    'plain-http': plainHttpOperations(plain.send),
    floor: floorOperations(new DynamoExecutionStore(floorClient, setup.tableName)),
  };
  return {
    async run(phase: PhaseRequest): Promise<PhaseResult> {
      meter.reset();
      const result = await runPhase(operations[phase.target][phase.operation], phase, setup.concurrency);
      return phase.target === 'floor' ? { ...result, tally: meter.snapshot() } : result;
    },
    latency(latency: LatencyRequest): Promise<LatencyResult> {
      return runLatency(
        {
          service: operations.service[latency.operation],
          'plain-http': operations['plain-http'][latency.operation],
          floor: operations.floor[latency.operation],
        },
        latency,
      );
    },
    async hop(hop: HopRequest): Promise<HopResult> {
      const relayedClient = createDocumentClient({ endpoint: hop.relayEndpoint });
      const stores = {
        direct: new DynamoExecutionStore(floorClient, setup.tableName),
        relayed: new DynamoExecutionStore(relayedClient, setup.tableName),
      };
      const result: HopResult = { directMs: [], relayedMs: [] };
      try {
        for (let i = 0; i < hop.requests; i++) {
          // Taking turns, the order turning too.
          for (const way of i % 2 === 0 ? (['direct', 'relayed'] as const) : (['relayed', 'direct'] as const)) {
            const sent = performance.now();
            const execution = await stores[way].get(hop.thingName, hop.jobId);
            (way === 'direct' ? result.directMs : result.relayedMs).push(performance.now() - sent);
            check(execution?.jobId === hop.jobId, `${way}: read ${hop.thingName}'s ${hop.jobId}`);
          }
        }
        return result;
      } finally {
        relayedClient.destroy();
      }
    },
    close() {
      device.destroy();
      floorClient.destroy();
      plain.close();
    },
  };
}

const send = (message: DriverMessage) => process.send!(message);
/** Answers a request with its result, or with why it failed. */
const answer = (work: Promise<DriverMessage>) =>
  void work.then(send, (error: unknown) => send({ type: 'failed', message: String(error) }));
let driver: ReturnType<typeof startDriver> | undefined;
process.on('message', (message: OrchestratorMessage) => {
  if (message.type === 'setup') {
    driver = startDriver(message.setup);
    send({ type: 'ready' });
  } else if (message.type === 'phase') {
    answer(driver!.run(message.phase).then((result) => ({ type: 'phase-done', result })));
  } else if (message.type === 'latency') {
    answer(driver!.latency(message.latency).then((result) => ({ type: 'latency-done', result })));
  } else if (message.type === 'hop') {
    answer(driver!.hop(message.hop).then((result) => ({ type: 'hop-done', result })));
  } else {
    driver?.close();
    process.disconnect();
  }
});
