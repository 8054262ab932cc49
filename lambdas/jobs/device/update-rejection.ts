import { isTerminal, type JobExecutionRecord } from '../execution/execution';
import { executionNotFound, executionNumberNotFound } from '../execution/not-found';
import type { DeviceUpdateCommand } from '../execution/store';
import type { StepTimerRequest } from '../execution/timers';
import { MINUTE_MS } from '../shared/clock';
import { InvalidStateTransitionException, type ServiceError } from '../shared/errors';
import { toExecutionState } from './views';

const sameDetails = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

/**
 * The step timer the update asked for is the one the execution's last change set (a step timer runs from the change
 * that set it).
 */
function sameStepTimer(step: StepTimerRequest, current: JobExecutionRecord): boolean {
  if (step === undefined) return true;
  if (step === 'clear') return current.stepDeadlineAt === undefined;
  return current.stepDeadlineAt === current.lastUpdatedAt + step * MINUTE_MS;
}

/**
 * The device sent this very update before, at this expectedVersion, and it
 * landed: the execution is one version on, in the status, with the details
 * and the step timer asked for. (An unseen update in between that set the
 * same values looks the same, and is the same to the device.)
 */
function isReplay(command: DeviceUpdateCommand, current: JobExecutionRecord): boolean {
  return (
    command.expectedVersion !== undefined &&
    current.versionNumber === command.expectedVersion + 1 &&
    current.status === command.status &&
    (command.statusDetails === undefined || sameDetails(command.statusDetails, current.statusDetails)) &&
    sameStepTimer(command.stepTimer, current)
  );
}

/**
 * Why a conditional device update was refused, decided from the item as it
 * stood when the write failed (or its absence), with any timeout already
 * settled. Checks run in the order a device needs them: does it exist, is it
 * the execution asked for, is it still open, is the caller's view current.
 * Undefined when none of these explains it: the write's plan was made on an
 * assumption (or version) that no longer holds, and can be made again.
 */
export function explainRejectedUpdate(
  command: DeviceUpdateCommand,
  current: JobExecutionRecord | undefined,
): ServiceError | undefined {
  if (!current) return executionNotFound(command.thingName, command.jobId);
  if (command.executionNumber !== undefined && command.executionNumber !== current.executionNumber) {
    return executionNumberNotFound(command.thingName, command.jobId, command.executionNumber, current.executionNumber);
  }
  const state = toExecutionState(current);
  const replay = isReplay(command, current)
    ? ': an identical update was already applied (a retry after a lost answer?); nothing changed'
    : '';
  if (isTerminal(current.status)) {
    return new InvalidStateTransitionException(
      `Job execution of job ${command.jobId} for thing ${command.thingName} is ${current.status}, ` +
        `a terminal status, and cannot change${replay}`,
      state,
    );
  }
  if (command.expectedVersion !== undefined && command.expectedVersion !== current.versionNumber) {
    return new InvalidStateTransitionException(
      `VersionMismatch: expectedVersion ${command.expectedVersion} ` +
        `does not match the current versionNumber ${current.versionNumber}${replay}`,
      state,
    );
  }
  return undefined;
}
