import { targetGroupNamesOf } from '../fleet/fan-out';
import type { JobRecord } from '../management/job';
import type { JobWorkRecord, WorkWriteOutcome } from './job-work-record';
import type { JobWorkPorts } from './job-work-store';

/**
 * A cascade's end, once every page (and joined thing) is done: a cancel's
 * record written done, or a delete's last executions, entries, record and job
 * deleted. 'done' when the job is gone; otherwise the record's write, or
 * undefined when the delete was refused (the record must be read again).
 */
export async function endCascade(
  ports: JobWorkPorts,
  work: JobWorkRecord,
  job: JobRecord,
  owner: string,
): Promise<WorkWriteOutcome | 'done' | undefined> {
  // Canceled or deleted, a continuous job takes on no more things: no membership change needs to find it.
  if (work.continuous) await ports.continuous.unlistTargets(job, targetGroupNamesOf(work));
  if (work.cascade!.kind === 'cancel') return ports.store.finishCancel(work, owner);
  // Whatever the index still lists (a job from before pages, or an execution it showed late): a pass that deletes
  // nothing proves none is left.
  while ((await ports.executions.deleteListed(job.jobId)) > 0);
  if (work.continuous) await ports.continuous.deleteJoined(job);
  return (await ports.store.finishDelete(work, owner)).applied ? 'done' : undefined;
}
