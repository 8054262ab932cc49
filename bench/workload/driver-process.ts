import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  DriverMessage,
  DriverSetup,
  HopRequest,
  HopResult,
  LatencyRequest,
  LatencyResult,
  OrchestratorMessage,
  PhaseRequest,
  PhaseResult,
} from './workload';

export interface DriverProcess {
  run(phase: PhaseRequest): Promise<PhaseResult>;
  latency(latency: LatencyRequest): Promise<LatencyResult>;
  hop(hop: HopRequest): Promise<HopResult>;
  stop(): Promise<void>;
}

/** Each answer the driver gives, by its type, and the result it carries. */
type ResultOf = { [Answer in Extract<DriverMessage, { result: unknown }> as Answer['type']]: Answer['result'] };

const DRIVER_ENTRY = fileURLToPath(new URL('./device-driver.ts', import.meta.url));

/** The device fleet in a separate node process, so its CPU is not the service's. */
export async function startDriverProcess(setup: DriverSetup): Promise<DriverProcess> {
  const child = fork(DRIVER_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reply = () => nextMessage(child, exited);
  const post = (message: OrchestratorMessage) => child.send(message);

  /** Sends a request and waits for its answer, the message of type `done` (or the driver's failure). */
  const ask = async <Done extends keyof ResultOf>(
    message: OrchestratorMessage,
    done: Done,
  ): Promise<ResultOf[Done]> => {
    post(message);
    const answer = await reply();
    if (answer.type !== done)
      throw new Error(`Benchmark driver failed: ${answer.type === 'failed' ? answer.message : answer.type}`);
    // The type was checked just above; TypeScript cannot narrow a union by a generic key.
    return (answer as Extract<DriverMessage, { result: unknown }>).result as ResultOf[Done];
  };

  post({ type: 'setup', setup });
  await reply();
  return {
    run: (phase) => ask({ type: 'phase', phase }, 'phase-done'),
    latency: (latency) => ask({ type: 'latency', latency }, 'latency-done'),
    hop: (hop) => ask({ type: 'hop', hop }, 'hop-done'),
    async stop() {
      if (child.connected) post({ type: 'exit' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function nextMessage(child: ChildProcess, exited: Promise<void>): Promise<DriverMessage> {
  return Promise.race([
    new Promise<DriverMessage>((resolve) => child.once('message', (message) => resolve(message as DriverMessage))),
    exited.then(() => Promise.reject(new Error(`Benchmark driver exited (code ${child.exitCode})`))),
  ]);
}
