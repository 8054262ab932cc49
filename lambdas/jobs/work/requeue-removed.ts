import { reconcileExecution } from '../fleet/continuous-jobs';
import type { JobRecord } from '../management/job';
import { forEachLimited } from '../shared/concurrency';
import type { JobWorkRecord } from './job-work-record';
import type { JobWorkPorts, JobWorkSettings } from './job-work-store';
import { checkRegistered } from './registry-check';

/**
 * A continuous job's fan-out meets things that have an execution of the job
 * already: things on an earlier page met again in a group
 * AssociateTargetsWithJob added, and things the membership reactor gave one
 * first. Each is targeted (the fan-out just read it from a target group), so
 * it follows the membership reactor's rule: one REMOVED (it left the job's
 * groups before it started) is queued again as the next executionNumber; any
 * other keeps what it reached. Each requeued thing then has the registry
 * check a page's things get: one that left again (or was deleted) meanwhile
 * is REMOVED again. Safe to run twice on the same things: the second finds
 * them QUEUED.
 */
export async function requeueRemoved(
  ports: JobWorkPorts,
  settings: JobWorkSettings,
  work: JobWorkRecord,
  job: JobRecord,
  things: readonly string[],
): Promise<void> {
  if (!work.continuous || !things.length) return;
  const executions = {
    getExecution: (thingName: string, jobId: string) => ports.executions.get(thingName, jobId),
    addExecution: ports.continuous.addExecution.bind(ports.continuous),
    removeQueued: ports.continuous.removeQueued.bind(ports.continuous),
  };
  const requeued: string[] = [];
  await forEachLimited(things, settings.concurrency, async (thingName) => {
    const reaction = await reconcileExecution(executions, job, thingName, true, ports.clock);
    if (reaction?.applied) requeued.push(thingName);
  });
  if (requeued.length) await checkRegistered(ports, settings, work, job, requeued);
}
