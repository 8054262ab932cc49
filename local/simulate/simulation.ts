import { CreateJobCommand, DescribeJobCommand, IoTClient, paginateListJobExecutionsForJob } from '@aws-sdk/client-iot';
import {
  IoTJobsDataPlaneClient,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { ADVANCE_PATH } from '../clock/clock-control';
import { startLocalService } from '../local-service';
import { attemptOf, type Outcome } from './devices';
import type { SimulationInput } from './policy';

/** One simulated minute, as DescribeJob and the executions showed it at its end. */
export interface TimelineRow {
  minute: number;
  /** Things that have an execution (released), in all. */
  released: number;
  queued: number;
  inProgress: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  canceled: number;
  /** Retries written so far (each attempt after a thing's first). */
  retries: number;
  status: string;
}

export interface SimulationEvent {
  minute: number;
  kind: 'abort' | 'retries' | 'end';
  text: string;
}

export interface SimulationResult {
  input: SimulationInput;
  rows: TimelineRow[];
  events: SimulationEvent[];
}

const JOB_ID = 'simulated-rollout';
const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
/**
 * Where the simulated service time starts, and stays until the simulation moves it: the same run, minute by minute,
 * whatever the machine's speed.
 */
const SIMULATION_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * Runs the policy against a simulated fleet on a local service of its own
 * (in-memory DynamoDB Local, controllable clock), a minute at a time: each
 * device starts what it is given and reports its outcome when its draw says,
 * through the official device SDK; then the clock moves a minute, which runs
 * the service's tick (releases, timeouts, schedule) before it answers.
 */
export async function simulate(
  input: SimulationInput,
  log: (line: string) => void = () => undefined,
): Promise<SimulationResult> {
  const service = await startLocalService({
    inMemory: true,
    controllableClock: true,
    implicitThings: true,
    // Frozen but for the simulation's own advances: a slow machine must not move a rollout's windows or timeouts.
    clock: () => SIMULATION_EPOCH_MS,
    tableName: 'simulation',
    devicePort: 0,
    managementPort: 0,
  });
  const iot = new IoTClient({ ...CLIENT, endpoint: service.managementEndpoint });
  const device = new IoTJobsDataPlaneClient({ ...CLIENT, endpoint: service.deviceEndpoint });
  const seed = input.fleet.seed ?? 1;
  const things = Array.from({ length: input.fleet.size }, (_, i) => `sim-${String(i).padStart(5, '0')}`);
  const indexOf = new Map(things.map((t, i) => [t, i]));
  /** Each thing's attempt under way: its executionNumber, version, when it reports (minute) and what. */
  const running = new Map<string, { executionNumber: number; version: number; reportAt: number; outcome: Outcome }>();
  const rows: TimelineRow[] = [];
  const events: SimulationEvent[] = [];
  try {
    await iot.send(
      new CreateJobCommand({
        jobId: JOB_ID,
        targets: things.map((t) => `arn:aws:iot:us-east-1:123456789012:thing/${t}`),
        document: '{"op":"flash"}',
        ...input.job,
      }),
    );
    for (let minute = 0; minute <= input.minutes; minute++) {
      const executions = new Map<string, { status: string; executionNumber: number }>();
      for await (const page of paginateListJobExecutionsForJob({ client: iot, pageSize: 250 }, { jobId: JOB_ID })) {
        for (const e of page.executionSummaries ?? [])
          executions.set(e.thingArn!.split('/').pop()!, {
            status: e.jobExecutionSummary!.status!,
            executionNumber: e.jobExecutionSummary!.executionNumber!,
          });
      }
      // Devices with a job to start start it; those whose attempt is done report it. One at a time, in the fleet's
      // order: when an abort criterion is met depends on the order the outcomes are counted in, so the same seed gives
      // the same run.
      const act = async (thingName: string, e: { status: string; executionNumber: number }) => {
        if (e.status === 'QUEUED') {
          const started = await device.send(new StartNextPendingJobExecutionCommand({ thingName }));
          if (started.execution?.jobId !== JOB_ID) return;
          const attempt = attemptOf(seed, indexOf.get(thingName)!, started.execution.executionNumber!, input.fleet);
          running.set(thingName, {
            executionNumber: started.execution.executionNumber!,
            version: started.execution.versionNumber!,
            reportAt: minute + attempt.minutes,
            outcome: attempt.outcome,
          });
        }
        const mine = running.get(thingName);
        if (
          !mine ||
          mine.reportAt > minute ||
          mine.outcome === 'SILENT' ||
          (e.status !== 'IN_PROGRESS' && e.status !== 'QUEUED')
        )
          return;
        running.delete(thingName);
        // A report the service refuses (the job was canceled meanwhile, the attempt timed out) is what a device would
        // meet too.
        await device
          .send(
            new UpdateJobExecutionCommand({
              thingName,
              jobId: JOB_ID,
              status: mine.outcome,
              expectedVersion: mine.version,
            }),
          )
          .catch(() => undefined);
      };
      for (const [thingName, e] of [...executions].sort(([a], [b]) => indexOf.get(a)! - indexOf.get(b)!))
        await act(thingName, e);
      const { job } = await iot.send(new DescribeJobCommand({ jobId: JOB_ID }));
      const d = job!.jobProcessDetails!;
      let retries = 0;
      for (const e of executions.values()) retries += Math.max(0, e.executionNumber - 1);
      const row: TimelineRow = {
        minute,
        released: executions.size,
        queued: d.numberOfQueuedThings ?? 0,
        inProgress: d.numberOfInProgressThings ?? 0,
        succeeded: d.numberOfSucceededThings ?? 0,
        failed: d.numberOfFailedThings ?? 0,
        timedOut: d.numberOfTimedOutThings ?? 0,
        canceled: d.numberOfCanceledThings ?? 0,
        retries,
        status: job!.status!,
      };
      rows.push(row);
      const before = rows[rows.length - 2];
      if (before && row.retries > before.retries)
        events.push({ minute, kind: 'retries', text: `+${row.retries - before.retries} retries` });
      if (
        job!.status === 'CANCELED' &&
        job!.reasonCode?.startsWith('ABORTED') &&
        !events.some((e) => e.kind === 'abort')
      )
        events.push({ minute, kind: 'abort', text: job!.comment ?? 'aborted' });
      log(
        `minute ${minute}: ${row.status}, ${row.released} released, ${row.succeeded} succeeded, ${row.failed} failed, ${row.timedOut} timed out, ${row.canceled} canceled`,
      );
      if (job!.status === 'COMPLETED' || (job!.status === 'CANCELED' && row.inProgress === 0)) {
        events.push({ minute, kind: 'end', text: `job ${job!.status}` });
        break;
      }
      const moved = await fetch(`${service.managementEndpoint}${ADVANCE_PATH}`, {
        method: 'POST',
        body: JSON.stringify({ seconds: 60 }),
      });
      if (!moved.ok) throw new Error(`the clock did not move: ${await moved.text()}`);
    }
    return { input, rows, events };
  } finally {
    iot.destroy();
    device.destroy();
    await service.stop();
  }
}
