import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DriverMessage, DriverSetup, HopRequest, HopResult, LatencyRequest, LatencyResult, OrchestratorMessage, PhaseRequest, PhaseResult } from './workload';

export interface DriverProcess {
  run(phase: PhaseRequest): Promise<PhaseResult>;
  latency(latency: LatencyRequest): Promise<LatencyResult>;
  hop(hop: HopRequest): Promise<HopResult>;
  stop(): Promise<void>;
}

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

  post({ type: 'setup', setup });
  await reply();
  return {
    async run(phase) {
      post({ type: 'phase', phase });
      const message = await reply();
      if (message.type !== 'phase-done') throw new Error(`Benchmark driver failed: ${message.type === 'failed' ? message.message : message.type}`);
      return message.result;
    },
    async latency(latency) {
      post({ type: 'latency', latency });
      const message = await reply();
      if (message.type !== 'latency-done') throw new Error(`Benchmark driver failed: ${message.type === 'failed' ? message.message : message.type}`);
      return message.result;
    },
    async hop(hop) {
      post({ type: 'hop', hop });
      const message = await reply();
      if (message.type !== 'hop-done') throw new Error(`Benchmark driver failed: ${message.type === 'failed' ? message.message : message.type}`);
      return message.result;
    },
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
