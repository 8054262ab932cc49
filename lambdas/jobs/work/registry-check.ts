import { targetingOf } from '../fleet/continuous-jobs';
import { mustBeRegistered, targetRootsOf } from '../fleet/fan-out';
import type { JobRecord } from '../management/job';
import { forEachLimited } from '../shared/concurrency';
import type { JobWorkRecord } from './job-work-record';
import type { JobWorkPorts, JobWorkSettings } from './job-work-store';

/**
 * After a page's executions are written: the things that must be registered
 * and were deleted (while the fan-out read them, or before, with the index
 * still listing their memberships) lose theirs. DeleteThing marks a thing
 * before it deletes it and sweeps its executions after, so a DeleteThing
 * beside this either sweeps the execution or has marked the thing by the
 * time this reads the marks: only marked things are looked up (one query per
 * page, where looking each thing up cost DynamoDB a read per target). A
 * continuous job's thing that left its group between the read and the write
 * had nothing for the membership reactor to remove then: it is REMOVED here
 * (the reactor sees any later leaving).
 */
export async function checkRegistered(
  ports: JobWorkPorts,
  settings: JobWorkSettings,
  work: JobWorkRecord,
  job: JobRecord,
  things: string[],
): Promise<void> {
  const mustExist = mustBeRegistered(work, job, things);
  if (!mustExist.length) return;
  const [missing, paths] = await Promise.all([
    ports.registry
      .markedDeleted(mustExist)
      .then((marked) => (marked.length ? ports.registry.missingThings(marked) : [])),
    work.continuous ? ports.registry.membershipPaths(mustExist, targetRootsOf(work)) : undefined,
  ]);
  if (missing.length)
    await ports.executions.deleteExecutions(missing.map((thingName) => ({ thingName, jobId: job.jobId })));
  if (!paths) return;
  const [gone, targeted] = [new Set(missing), targetingOf(job)];
  const left = mustExist.filter(
    (thingName) => !gone.has(thingName) && !targeted(thingName, paths.get(thingName) ?? []),
  );
  const now = ports.clock();
  await forEachLimited(left, settings.concurrency, (thingName) => ports.continuous.removeQueued(job, thingName, now));
}
