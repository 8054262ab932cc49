/**
 * The device workload, one phase per operation: in each round every thing
 * does the phase's operation once (on that round's job) before the next phase
 * starts, so each operation is timed on its own at the set concurrency.
 */
export const OPERATIONS = [
  { id: 'get-pending', label: 'GetPendingJobExecutions' },
  { id: 'describe-next', label: 'DescribeJobExecution ($next)' },
  { id: 'start-next', label: 'StartNextPendingJobExecution' },
  { id: 'update-in-progress', label: 'UpdateJobExecution IN_PROGRESS + statusDetails' },
  { id: 'describe-by-id', label: 'DescribeJobExecution (by jobId)' },
  { id: 'update-succeeded', label: 'UpdateJobExecution SUCCEEDED + expectedVersion' },
] as const;

export type OperationId = (typeof OPERATIONS)[number]['id'];

/** Who answers: the service through its device API, or DynamoDB alone (the floor). */
export type Target = 'service' | 'floor';

/** DynamoDB calls by command name, and the capacity units they consumed. */
export interface CallTally {
  calls: Record<string, number>;
  capacityUnits: number;
}

/** A tally's calls as a report writes them: `1 Query, 5 TransactWriteItems`. */
export const callsText = (tally: CallTally): string =>
  Object.entries(tally.calls)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');

export interface DriverSetup {
  deviceEndpoint: string;
  dynamoEndpoint: string;
  tableName: string;
  concurrency: number;
}

export interface PhaseRequest {
  operation: OperationId;
  target: Target;
  thingNames: string[];
  jobId: string;
}

export interface PhaseResult {
  /** Each request's latency, in milliseconds. */
  latenciesMs: number[];
  /** Failed requests by error name. */
  errors: Record<string, number>;
  /** From the first request sent to the last answer received. */
  wallMs: number;
  /** The floor's own DynamoDB calls (the service's are counted in the service). */
  tally?: CallTally;
  /** CPU time the driver process spent on the phase. */
  driverCpuMs: number;
}

/** CPU time each process spent, in milliseconds: on one phase, or (in the results) per request. */
export interface CpuByProcess {
  deviceDriver: number;
  localRunner: number;
  /** Absent where the process's CPU time cannot be read (outside Linux). */
  dynamoDbLocal?: number;
}

/**
 * Who answers in the latency phases: the service through the device SDK, the service through a plain HTTP client,
 * DynamoDB alone.
 */
export type LatencySide = 'service' | 'plain-http' | 'floor';
export const LATENCY_SIDES: readonly LatencySide[] = ['service', 'plain-http', 'floor'];

/**
 * One request at a time, the sides taking turns request by request (so drift on a shared machine favours none): thing i
 * of each side, then i + 1.
 */
export interface LatencyRequest {
  operation: OperationId;
  jobId: string;
  thingNames: Record<LatencySide, string[]>;
}

export interface LatencyResult {
  latenciesMs: Record<LatencySide, number[]>;
  errors: Record<LatencySide, Record<string, number>>;
}

/**
 * The hop alone: one execution read (DescribeJobExecution's GetItem) sent straight to DynamoDB Local and through a bare
 * relay in the runner's process, taking turns.
 */
export interface HopRequest {
  relayEndpoint: string;
  thingName: string;
  jobId: string;
  requests: number;
}

export interface HopResult {
  directMs: number[];
  relayedMs: number[];
}

export type DriverMessage =
  | { type: 'ready' }
  | { type: 'phase-done'; result: PhaseResult }
  | { type: 'latency-done'; result: LatencyResult }
  | { type: 'hop-done'; result: HopResult }
  | { type: 'failed'; message: string };
export type OrchestratorMessage =
  | { type: 'setup'; setup: DriverSetup }
  | { type: 'phase'; phase: PhaseRequest }
  | { type: 'latency'; latency: LatencyRequest }
  | { type: 'hop'; hop: HopRequest }
  | { type: 'exit' };

export const statusDetailsFor = (operation: OperationId): Record<string, string> => ({
  step: operation,
  progress: '50%',
});
