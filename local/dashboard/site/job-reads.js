// What a job's page reads beyond the job and its executions: its document, each shown execution's statusDetails, and
// how many of its targets a rollout rate has not released yet. Each is read only when it may have changed.
import { allPages, api } from './api.js';
import { countsOf, STATUSES, thingOfArn } from './views.js';

/** Documents by job (and its creation time: a job deleted and created again under its ID has its own). */
const documents = new Map();
/** statusDetails by execution and the lastUpdatedAt it was read at: read again only when the execution changed. */
const details = new Map();
/** Pages of a group's members counted for the not-yet-released segment (250 each). */
const MEMBER_PAGES = 8;

async function documentOf(job) {
  const key = `${job.jobId}@${job.createdAt}`;
  if (!documents.has(key)) {
    const { document } = await api(`/jobs/${encodeURIComponent(job.jobId)}/job-document`);
    documents.set(key, document);
  }
  return documents.get(key);
}

/** The statusDetails of each shown execution, by thing (DescribeJobExecution, for those that changed). */
async function detailsOf(jobId, executions) {
  const entries = await Promise.all(
    executions.executionSummaries.map(async ({ thingArn, jobExecutionSummary: e }) => {
      const thing = thingOfArn(thingArn);
      const key = `${jobId}/${thing}`;
      const known = details.get(key);
      if (known?.at !== e.lastUpdatedAt) {
        const read = await api(`/things/${encodeURIComponent(thing)}/jobs/${encodeURIComponent(jobId)}`).then(
          (body) => body.execution?.statusDetails?.detailsMap,
          () => undefined,
        );
        details.set(key, { at: e.lastUpdatedAt, map: read });
      }
      return [thing, details.get(key).map];
    }),
  );
  return new Map(entries);
}

/**
 * The targets a rate-limited job has not released yet: its things, and its groups' members, less the executions it
 * has. Only a job with a rollout rate that is still rolling out holds any back.
 */
async function unreleasedOf(job) {
  if (!job.jobExecutionsRolloutConfig || !['IN_PROGRESS', 'SCHEDULED'].includes(job.status)) return 0;
  const sizes = await Promise.all(
    (job.targets ?? []).map((arn) => {
      const group = /:thinggroup\/(.+)$/.exec(arn)?.[1];
      if (!group) return 1;
      return allPages(`/thing-groups/${encodeURIComponent(group)}/things`, 'things', { maxResults: 250 }, MEMBER_PAGES)
        .then((things) => things.length)
        .catch(() => 0);
    }),
  );
  const counts = countsOf(job.jobProcessDetails);
  const executions = STATUSES.reduce((sum, status) => sum + counts[status], 0);
  return Math.max(0, sizes.reduce((sum, n) => sum + n, 0) - executions);
}

export async function jobExtras(job, executions) {
  const [document, shownDetails, unreleased] = await Promise.all([
    documentOf(job),
    detailsOf(job.jobId, executions),
    unreleasedOf(job),
  ]);
  return { document, details: shownDetails, unreleased };
}
