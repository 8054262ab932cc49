import type { JobExecutionRecord } from '../execution/execution';
import { settleExpired } from '../execution/expiry';
import { executionNotFound, executionNumberNotFound } from '../execution/not-found';
import type { DeviceUpdateCommand, ExecutionStore } from '../execution/store';
import {
  hasTimedOut,
  STOPPED_TIMERS,
  type StepTimerRequest,
  timersWhileInProgress,
  unreadInProgressTimers,
} from '../execution/timers';
import { deviceActor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { ServiceUnavailableException } from '../shared/errors';
import type { JobDocumentSource } from '../shared/ports';
import {
  authorizeDevice,
  type CertificateDirectory,
  type DeviceAuthPolicy,
  type DeviceCaller,
} from './device-authorization';
import { type DescribeInput, type GetPendingInput, NEXT_JOB_ID, type StartNextInput, type UpdateInput } from './inputs';
import { livePending, nextServable } from './pending-queue';
import { explainRejectedUpdate } from './update-rejection';
import {
  type ExecutionStateView,
  type ExecutionSummaryView,
  type ExecutionView,
  toExecutionState,
  toExecutionView,
  toSummaryView,
} from './views';

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

/** Losing a StartNext race more often than this in a row means something else hammers the thing's queue. */
const MAX_START_ATTEMPTS = 5;
/** An unread update plan, then exact plans from what each failed write returned. */
const MAX_UPDATE_ATTEMPTS = 4;

/** The device's stepTimeoutInMinutes, as the timer rules take it. */
const stepTimerRequest = (minutes: number | undefined): StepTimerRequest => (minutes === -1 ? 'clear' : minutes);

/**
 * The four operations of the device API (iot-jobs-data). An execution past its
 * deadline is TIMED_OUT here whether or not the sweeper has written it yet:
 * whichever operation meets it first writes TIMED_OUT (conditionally) and
 * answers as if it had always been so.
 */
export class DeviceJobs {
  constructor(
    private readonly executions: ExecutionStore,
    private readonly documents: JobDocumentSource,
    private readonly clock: Clock,
    private readonly authPolicy: DeviceAuthPolicy = 'open',
    private readonly certificates?: CertificateDirectory,
  ) {}

  async getPending(input: GetPendingInput): Promise<PendingJobsView> {
    // The caller's certificate is read beside the operation's own first read; any write waits for it.
    const authorized = this.authorize(input);
    const [, pending] = await Promise.all([
      authorized,
      livePending(this.executions, input.thingName, this.clock(), authorized),
    ]);
    return {
      inProgressJobs: pending.filter((e) => e.status === 'IN_PROGRESS').map(toSummaryView),
      queuedJobs: pending.filter((e) => e.status === 'QUEUED').map(toSummaryView),
    };
  }

  async startNext(input: StartNextInput): Promise<MaybeExecution> {
    // Read once; later tries find it settled.
    const authorized = this.authorize(input);
    for (let attempt = 0; attempt < MAX_START_ATTEMPTS; attempt++) {
      const now = this.clock();
      // The first read beside the caller's certificate; nothing is written before both are in.
      const [, next] = await Promise.all([
        authorized,
        nextServable(this.executions, this.documents, input.thingName, now, authorized),
      ]);
      if (!next) return {};
      const { record, document } = next;
      // Already started: StartNext hands it back unchanged.
      if (record.status === 'IN_PROGRESS') return { execution: toExecutionView(record, now, document) };
      const outcome = await this.executions.start(record, {
        now,
        actor: deviceActor(input.thingName, input),
        ...(input.statusDetails ? { statusDetails: input.statusDetails } : {}),
        timers: timersWhileInProgress(record, input.stepTimeoutInMinutes, now),
      });
      if (outcome.applied) return { execution: toExecutionView(outcome.record, now, document) };
      // A concurrent StartNext started this very execution: answer with it, so all racers agree.
      const current = outcome.current;
      if (
        current?.status === 'IN_PROGRESS' &&
        current.jobIncarnation === record.jobIncarnation &&
        !hasTimedOut(current, now)
      ) {
        return { execution: toExecutionView(current, now, document) };
      }
      // It was finished, canceled, timed out, deleted or replaced under us: pick again.
    }
    throw new ServiceUnavailableException(`Too much contention on the job queue of thing ${input.thingName}; retry`);
  }

  /**
   * What the service itself tells a thing in its notifications (MQTT notify
   * and notify-next): its pending list and its next execution with the
   * document. No caller to authorize: it is the service speaking, to the
   * thing's own topics.
   */
  async notificationsOf(thingName: string): Promise<PendingJobsView & MaybeExecution> {
    const now = this.clock();
    const pending = await livePending(this.executions, thingName, now);
    const next = await nextServable(this.executions, this.documents, thingName, now);
    return {
      inProgressJobs: pending.filter((e) => e.status === 'IN_PROGRESS').map(toSummaryView),
      queuedJobs: pending.filter((e) => e.status === 'QUEUED').map(toSummaryView),
      ...(next ? { execution: toExecutionView(next.record, now, next.document) } : {}),
    };
  }

  async describe(input: DescribeInput): Promise<MaybeExecution> {
    const authorized = this.authorize(input);
    const now = this.clock();
    if (input.jobId === NEXT_JOB_ID) {
      const [, next] = await Promise.all([
        authorized,
        nextServable(this.executions, this.documents, input.thingName, now, authorized),
      ]);
      if (!next || (input.executionNumber !== undefined && next.record.executionNumber !== input.executionNumber))
        return {};
      return { execution: toExecutionView(next.record, now, input.includeJobDocument ? next.document : undefined) };
    }
    const [, stored] = await Promise.all([authorized, this.executions.get(input.thingName, input.jobId)]);
    const execution = stored && (await this.settle(stored, now));
    if (!execution) throw executionNotFound(input.thingName, input.jobId);
    if (input.executionNumber !== undefined && execution.executionNumber !== input.executionNumber) {
      throw executionNumberNotFound(input.thingName, input.jobId, input.executionNumber, execution.executionNumber);
    }
    return this.withDocument(execution, input.includeJobDocument, now);
  }

  async update(input: UpdateInput): Promise<UpdateResult> {
    // Its first call is a write: the caller's certificate is read before it.
    await this.authorize(input);
    const now = this.clock();
    const step = stepTimerRequest(input.stepTimeoutInMinutes);
    const base = {
      thingName: input.thingName,
      jobId: input.jobId,
      status: input.status,
      now,
      actor: deviceActor(input.thingName, input),
      ...(input.statusDetails ? { statusDetails: input.statusDetails } : {}),
      ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      ...(input.executionNumber !== undefined ? { executionNumber: input.executionNumber } : {}),
      ...(step !== undefined ? { stepTimer: step } : {}),
    };
    // First try without reading: one write in the common case.
    const unread = unreadInProgressTimers(step, now);
    let command: DeviceUpdateCommand =
      input.status === 'IN_PROGRESS'
        ? { ...base, timers: unread.write, assumes: unread.assumes }
        : { ...base, timers: STOPPED_TIMERS };
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const outcome = await this.executions.applyDeviceUpdate(command);
      if (outcome.applied) {
        return {
          ...(input.includeJobExecutionState ? { executionState: toExecutionState(outcome.record) } : {}),
          ...(input.includeJobDocument
            ? { jobDocument: await this.documents.getDocument(outcome.record.jobId, outcome.record.jobIncarnation) }
            : {}),
        };
      }
      const current = outcome.current && (await this.settle(outcome.current, now));
      const rejection = explainRejectedUpdate(command, current);
      if (rejection) throw rejection;
      // Only the plan's assumptions failed: plan again from the execution as it stands, guarded by its version.
      command = {
        ...base,
        timers: input.status === 'IN_PROGRESS' ? timersWhileInProgress(current!, step, now) : STOPPED_TIMERS,
        basisVersion: current!.versionNumber,
      };
    }
    throw new ServiceUnavailableException(
      `Job execution of job ${input.jobId} for thing ${input.thingName} keeps changing concurrently; retry`,
    );
  }

  /**
   * Throws AccessDeniedException unless this caller may act for the thing: what a connection (MQTT) that names a thing
   * is checked with once.
   */
  authorizeThing(caller: DeviceCaller, thingName: string): Promise<void> {
    return authorizeDevice(this.authPolicy, caller, thingName, this.certificates);
  }

  /** A device acts only on its own thing (when the deployment identifies devices by certificate). */
  private authorize(input: DeviceCaller & { thingName: string }): Promise<void> {
    return authorizeDevice(this.authPolicy, input, input.thingName, this.certificates);
  }

  private settle(record: JobExecutionRecord, now: number): Promise<JobExecutionRecord | undefined> {
    return settleExpired(this.executions, record, now);
  }

  private async withDocument(
    record: JobExecutionRecord,
    includeDocument: boolean,
    now: number,
  ): Promise<MaybeExecution> {
    const document = includeDocument
      ? await this.documents.getDocument(record.jobId, record.jobIncarnation)
      : undefined;
    return { execution: toExecutionView(record, now, document) };
  }
}
