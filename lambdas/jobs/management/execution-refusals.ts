import { isTerminal, type JobExecutionRecord } from '../execution/execution';
import { executionNumberNotFound } from '../execution/not-found';
import { InvalidStateTransitionException, VersionConflictException } from '../shared/errors';
import type { CancelExecutionInput, DeleteExecutionInput } from './inputs';

/** Why CancelJobExecution or DeleteJobExecution was refused, told from the execution as it stands (no second read). */

export function cancelRefusal(input: CancelExecutionInput, current: JobExecutionRecord): Error {
  if (isTerminal(current.status)) {
    return new InvalidStateTransitionException(
      `Job execution of job ${input.jobId} for thing ${input.thingName} is ${current.status}, ` +
        `a terminal status, and cannot be canceled`,
    );
  }
  if (current.status === 'IN_PROGRESS' && !input.force) {
    return new InvalidStateTransitionException(
      `Job execution of job ${input.jobId} for thing ${input.thingName} is IN_PROGRESS: cancel it with force=true`,
    );
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.versionNumber) {
    return new VersionConflictException(
      `expectedVersion ${input.expectedVersion} does not match the current versionNumber ${current.versionNumber}`,
    );
  }
  return new InvalidStateTransitionException(
    `Job execution of job ${input.jobId} for thing ${input.thingName} changed while it was being canceled; retry`,
  );
}

export function deleteRefusal(input: DeleteExecutionInput, current: JobExecutionRecord): Error {
  if (current.executionNumber !== input.executionNumber) {
    return executionNumberNotFound(input.thingName, input.jobId, input.executionNumber, current.executionNumber);
  }
  return new InvalidStateTransitionException(
    `Job execution of job ${input.jobId} for thing ${input.thingName} is ${current.status}: ` +
      `only a terminal execution can be deleted without force=true`,
  );
}
