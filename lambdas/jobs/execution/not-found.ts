import { ResourceNotFoundException } from '../shared/errors';

/** The errors of asking for an execution that is not there, the same from the device and the management API. */

export const executionNotFound = (thingName: string, jobId: string): ResourceNotFoundException =>
  new ResourceNotFoundException(`No job execution of job ${jobId} exists for thing ${thingName}`);

/**
 * Asking for an execution number other than the current one is asking for an execution that does not exist (our
 * choice).
 */
export const executionNumberNotFound = (
  thingName: string,
  jobId: string,
  asked: number,
  current: number,
): ResourceNotFoundException =>
  new ResourceNotFoundException(
    `Job execution number ${asked} of job ${jobId} does not exist for thing ${thingName} (current is ${current})`,
  );
