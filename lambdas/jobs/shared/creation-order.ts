import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * An ID that sorts in the order it was made: the millisecond, then a counter
 * within it (so two made in the same millisecond by this process keep their
 * order), then random characters that tell processes apart. Job incarnations
 * are made so, and break ties in the pending order: executions are served in
 * the order their jobs were created, never by jobId.
 */
export function creationOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    sequence++;
  }
  return (
    `${lastMs.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}` +
    `${randomBytes(6).toString('hex')}`
  );
}
