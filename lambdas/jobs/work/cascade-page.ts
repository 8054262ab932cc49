import { namedThingsOf } from '../fleet/fan-out';
import type { JobRecord } from '../management/job';
import { forEachLimited } from '../shared/concurrency';
import type { JobWorkRecord } from './job-work-record';
import type { JobWorkPorts, JobWorkSettings } from './job-work-store';

/**
 * The next page of a cascade (of its `pages`, then a continuous job's joined
 * things), its executions canceled or deleted: the page and the joined
 * things' progress to write on the record, and the things it took.
 */
export async function cascadePage(
  ports: JobWorkPorts,
  settings: JobWorkSettings,
  work: JobWorkRecord,
  job: JobRecord,
  pages: number,
): Promise<{ page: number; things: string[]; progress: { after?: string; done: boolean } | undefined }> {
  const cascade = work.cascade!;
  // The pages first, then a continuous job's things that joined later (none can join now: the job is no longer
  // IN_PROGRESS).
  const onPages = cascade.page < pages;
  const page = onPages ? cascade.page + 1 : cascade.page;
  const joined = onPages ? undefined : await ports.continuous.joinedPage(job, settings.pageSize, cascade.joinedAfter);
  const things = joined ? joined.things : work.sources ? await ports.store.readPage(job, page) : namedThingsOf(job);
  if (cascade.kind === 'cancel') {
    const now = ports.clock();
    // A refused cancel means the device got there first (started, finished, timed out), or there is no execution: it
    // keeps its state.
    await forEachLimited(things, settings.concurrency, (thingName) =>
      ports.executions.cancelExecution({
        thingName,
        jobId: job.jobId,
        jobIncarnation: job.incarnation,
        force: cascade.force,
        now,
        actor: cascade.by ?? { kind: 'operator' },
      }),
    );
  } else {
    await ports.executions.deleteExecutions(things.map((thingName) => ({ thingName, jobId: job.jobId })));
  }
  const progress = joined && { ...(joined.after ? { after: joined.after } : {}), done: !joined.after };
  return { page, things, progress };
}
