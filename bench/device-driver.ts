/**
 * The benchmark's device fleet, in its own process: runs each phase it is sent
 * against the service (the official device SDK over HTTP) or against the floor
 * (the same DynamoDB requests the service makes, straight to DynamoDB Local),
 * and answers with the latencies.
 */
import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  IoTJobsDataPlaneClient,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { createDocumentClient } from '../lambdas/data/dynamo-client';
import { JobsRepository } from '../lambdas/data/jobs-repository';
import { STOPPED_TIMERS, timersWhileInProgress, unreadInProgressTimers } from '../lambdas/domain/timers';
import { meterDynamoCalls, type CallMeter } from './call-meter';
import { ownCpuMs } from './process-cpu';
import { statusDetailsFor, type DriverMessage, type DriverSetup, type OperationId, type OrchestratorMessage, type PhaseRequest, type PhaseResult } from './workload';

/** A wrong answer: counted as an error under this name, so a fast but wrong run cannot look good. */
class WrongAnswer extends Error {
  override name = 'WrongAnswer';
}

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new WrongAnswer(what);
}

type Operation = (thingName: string, jobId: string) => Promise<void>;

/** The device API through the official SDK, checking each answer. */
function serviceOperations(device: IoTJobsDataPlaneClient): Record<OperationId, Operation> {
  const versions = new Map<string, number>();
  return {
    'get-pending': async (thingName, jobId) => {
      const answer = await device.send(new GetPendingJobExecutionsCommand({ thingName }));
      expect(answer.queuedJobs?.[0]?.jobId === jobId, `${thingName}: ${jobId} first in the queue`);
    },
    'describe-next': async (thingName, jobId) => {
      const answer = await device.send(new DescribeJobExecutionCommand({ thingName, jobId: '$next' }));
      expect(answer.execution?.jobId === jobId, `${thingName}: $next is ${jobId}`);
    },
    'start-next': async (thingName, jobId) => {
      const answer = await device.send(new StartNextPendingJobExecutionCommand({ thingName, statusDetails: statusDetailsFor('start-next') }));
      expect(answer.execution?.jobId === jobId && answer.execution.status === 'IN_PROGRESS', `${thingName}: started ${jobId}`);
    },
    'update-in-progress': async (thingName, jobId) => {
      const answer = await device.send(
        new UpdateJobExecutionCommand({ thingName, jobId, status: 'IN_PROGRESS', statusDetails: statusDetailsFor('update-in-progress'), includeJobExecutionState: true }),
      );
      expect(answer.executionState?.versionNumber !== undefined, `${thingName}: version of ${jobId}`);
      versions.set(thingName, answer.executionState.versionNumber);
    },
    'describe-by-id': async (thingName, jobId) => {
      const answer = await device.send(new DescribeJobExecutionCommand({ thingName, jobId }));
      expect(answer.execution?.status === 'IN_PROGRESS', `${thingName}: ${jobId} in progress`);
    },
    'update-succeeded': async (thingName, jobId) => {
      expect(versions.has(thingName), `${thingName}: a version to expect`);
      await device.send(
        new UpdateJobExecutionCommand({ thingName, jobId, status: 'SUCCEEDED', statusDetails: statusDetailsFor('update-succeeded'), expectedVersion: versions.get(thingName) }),
      );
    },
  };
}

/**
 * The floor: for each operation, the DynamoDB requests the service sends for
 * it, built by the service's own repository (so they are the same requests,
 * byte for byte) and sent from this process with nothing else in the way.
 */
function floorOperations(repository: JobsRepository): Record<OperationId, Operation> {
  const versions = new Map<string, number>();
  return {
    'get-pending': async (thingName, jobId) => {
      const pending = await repository.listPending(thingName);
      expect(pending[0]?.jobId === jobId, `${thingName}: ${jobId} first in the queue`);
    },
    'describe-next': async (thingName, jobId) => {
      const next = await repository.findNextPending(thingName);
      expect(next?.jobId === jobId, `${thingName}: $next is ${jobId}`);
    },
    'start-next': async (thingName, jobId) => {
      const now = Date.now();
      const next = await repository.findNextPending(thingName);
      expect(next?.jobId === jobId, `${thingName}: next is ${jobId}`);
      const outcome = await repository.start(next, { now, statusDetails: statusDetailsFor('start-next'), timers: timersWhileInProgress(next, undefined, now) });
      expect(outcome.applied, `${thingName}: started ${jobId}`);
    },
    'update-in-progress': async (thingName, jobId) => {
      const now = Date.now();
      const unread = unreadInProgressTimers(undefined, now);
      const outcome = await repository.applyDeviceUpdate({
        thingName,
        jobId,
        status: 'IN_PROGRESS',
        statusDetails: statusDetailsFor('update-in-progress'),
        now,
        timers: unread.write,
        assumes: unread.assumes,
      });
      expect(outcome.applied, `${thingName}: ${jobId} updated`);
      versions.set(thingName, outcome.record.versionNumber);
    },
    'describe-by-id': async (thingName, jobId) => {
      const execution = await repository.get(thingName, jobId);
      expect(execution?.status === 'IN_PROGRESS', `${thingName}: ${jobId} in progress`);
    },
    'update-succeeded': async (thingName, jobId) => {
      expect(versions.has(thingName), `${thingName}: a version to expect`);
      const outcome = await repository.applyDeviceUpdate({
        thingName,
        jobId,
        status: 'SUCCEEDED',
        statusDetails: statusDetailsFor('update-succeeded'),
        now: Date.now(),
        timers: STOPPED_TIMERS,
        expectedVersion: versions.get(thingName)!,
      });
      expect(outcome.applied, `${thingName}: ${jobId} succeeded`);
    },
  };
}

/** Every thing of the phase does the operation once, `concurrency` at a time. */
async function runPhase(operation: Operation, phase: PhaseRequest, concurrency: number): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const cpuBefore = ownCpuMs();
  const worker = async () => {
    while (next < phase.thingNames.length) {
      const thingName = phase.thingNames[next++]!;
      const sent = performance.now();
      try {
        await operation(thingName, phase.jobId);
        latenciesMs.push(performance.now() - sent);
      } catch (error) {
        const name = (error as Error).name || 'Error';
        errors[name] = (errors[name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, phase.thingNames.length) }, worker));
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
    floor: floorOperations(new JobsRepository(floorClient, setup.tableName)),
  };
  return {
    async run(phase: PhaseRequest): Promise<PhaseResult> {
      meter.reset();
      const result = await runPhase(operations[phase.target][phase.operation], phase, setup.concurrency);
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
