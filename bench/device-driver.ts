/**
 * The benchmark's device fleet, in its own process: runs each phase it is sent
 * against the service (the official device SDK over HTTP) or against the floor
 * (the same DynamoDB requests the service makes, straight to DynamoDB Local),
 * and answers with the latencies.
 */
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { createDocumentClient } from '../lambdas/store/table/dynamo-client';
import { DynamoExecutionStore } from '../lambdas/store/executions';
import { forEachLimited } from '../lambdas/jobs/shared/concurrency';
import type { Operation } from './answer-check';
import { meterDynamoCalls, type CallMeter } from './call-meter';
import { floorOperations } from './floor-operations';
import { ownCpuMs } from './process-cpu';
import { serviceOperations } from './service-operations';
import type { DriverMessage, DriverSetup, OrchestratorMessage, PhaseRequest, PhaseResult } from './workload';

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
  const operations = {
    service: serviceOperations(device),
    floor: floorOperations(new DynamoExecutionStore(floorClient, setup.tableName)),
  };
  return {
    async run(phase: PhaseRequest): Promise<PhaseResult> {
      meter.reset();
      const result = await runPhase(operations[phase.target][phase.operation], phase, phase.concurrency ?? setup.concurrency);
      return phase.target === 'floor' ? { ...result, tally: meter.snapshot() } : result;
    },
    close() {
      device.destroy();
      floorClient.destroy();
    },
  };
}

const send = (message: DriverMessage) => process.send!(message);
let driver: ReturnType<typeof startDriver> | undefined;
process.on('message', (message: OrchestratorMessage) => {
  if (message.type === 'setup') {
    driver = startDriver(message.setup);
    send({ type: 'ready' });
  } else if (message.type === 'phase') {
    driver!
      .run(message.phase)
      .then((result) => send({ type: 'phase-done', result }))
      .catch((error: unknown) => send({ type: 'failed', message: String(error) }));
  } else {
    driver?.close();
    process.disconnect();
  }
});
