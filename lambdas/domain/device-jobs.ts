import type { Clock } from './clock';
import { MINUTE_MS } from './clock';
import { ServiceUnavailableException } from './errors';
import { toExecutionState, toExecutionView, toSummaryView, type ExecutionStateView, type ExecutionSummaryView, type ExecutionView, type JobExecutionRecord } from './execution';
import { NEXT_JOB_ID, type DescribeInput, type GetPendingInput, type StartNextInput, type UpdateInput } from './device-requests';
import type { DeviceUpdateCommand, ExecutionStore, JobDocumentSource } from './ports';
import { executionNotFound, executionNumberNotFound } from './update-rejection';

export interface PendingJobsView {
  inProgressJobs: ExecutionSummaryView[];
  queuedJobs: ExecutionSummaryView[];
}

/** `{}` when nothing is pending, as AWS answers. */
export type MaybeExecution = { execution?: ExecutionView };

export interface UpdateResult {
  executionState?: ExecutionStateView;
  jobDocument?: string;
}

const stepDeadline = (now: number, minutes: number): number => now + minutes * MINUTE_MS;

/** Losing a StartNext race more often than this in a row means something else hammers the thing's queue. */
const MAX_START_ATTEMPTS = 5;

/** The four operations of the device API (iot-jobs-data). */
export class DeviceJobs {
  constructor(
    private readonly executions: ExecutionStore,
    private readonly documents: JobDocumentSource,
    private readonly clock: Clock,
  ) {}

  async getPending({ thingName }: GetPendingInput): Promise<PendingJobsView> {
    const pending = await this.executions.listPending(thingName);
    return {
      inProgressJobs: pending.filter((e) => e.status === 'IN_PROGRESS').map(toSummaryView),
      queuedJobs: pending.filter((e) => e.status === 'QUEUED').map(toSummaryView),
    };
  }

  async startNext(input: StartNextInput): Promise<MaybeExecution> {
    for (let attempt = 0; attempt < MAX_START_ATTEMPTS; attempt++) {
      const next = await this.executions.findNextPending(input.thingName);
      if (!next) return {};
      // Already started: StartNext hands it back unchanged.
      if (next.status === 'IN_PROGRESS') return this.withDocument(next, true);
      const now = this.clock();
      const outcome = await this.executions.start(next, {
        now,
        ...(input.statusDetails ? { statusDetails: input.statusDetails } : {}),
        ...(input.stepTimeoutInMinutes !== undefined ? { stepDeadlineAt: stepDeadline(now, input.stepTimeoutInMinutes) } : {}),
      });
      if (outcome.started) return this.withDocument(outcome.record, true);
      // A concurrent StartNext started this very execution: answer with it, so all racers agree.
      if (outcome.current?.status === 'IN_PROGRESS') return this.withDocument(outcome.current, true);
      // It was finished, canceled or deleted under us: pick again.
    }
    throw new ServiceUnavailableException(`Too much contention on the job queue of thing ${input.thingName}; retry`);
  }

  async describe(input: DescribeInput): Promise<MaybeExecution> {
    if (input.jobId === NEXT_JOB_ID) {
      const next = await this.executions.findNextPending(input.thingName);
      if (!next || (input.executionNumber !== undefined && next.executionNumber !== input.executionNumber)) return {};
      return this.withDocument(next, input.includeJobDocument);
    }
    const execution = await this.executions.get(input.thingName, input.jobId);
    if (!execution) throw executionNotFound(input.thingName, input.jobId);
    if (input.executionNumber !== undefined && execution.executionNumber !== input.executionNumber) {
      throw executionNumberNotFound(input.thingName, input.jobId, input.executionNumber, execution.executionNumber);
    }
    return this.withDocument(execution, input.includeJobDocument);
  }

  async update(input: UpdateInput): Promise<UpdateResult> {
    const now = this.clock();
    const command: DeviceUpdateCommand = {
      thingName: input.thingName,
      jobId: input.jobId,
      status: input.status,
      now,
      ...(input.statusDetails ? { statusDetails: input.statusDetails } : {}),
      ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      ...(input.executionNumber !== undefined ? { executionNumber: input.executionNumber } : {}),
      ...(input.stepTimeoutInMinutes === -1
        ? { stepDeadline: 'clear' as const }
        : input.stepTimeoutInMinutes !== undefined
          ? { stepDeadline: stepDeadline(now, input.stepTimeoutInMinutes) }
          : {}),
    };
    const updated = await this.executions.applyDeviceUpdate(command);
    return {
      ...(input.includeJobExecutionState ? { executionState: toExecutionState(updated) } : {}),
      ...(input.includeJobDocument ? { jobDocument: await this.documents.getDocument(updated.jobId, updated.jobIncarnation) } : {}),
    };
  }

  private async withDocument(record: JobExecutionRecord, includeDocument: boolean): Promise<MaybeExecution> {
    const document = includeDocument ? await this.documents.getDocument(record.jobId, record.jobIncarnation) : undefined;
    return { execution: toExecutionView(record, this.clock(), document) };
  }
}
