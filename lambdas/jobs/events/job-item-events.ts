import {
  CANCEL_END_ATTRIBUTE,
  COUNTED_STATUSES,
  type EventContext,
  headerOf,
  type ItemChange,
  JOB_EVENT_DETAIL_TYPE,
  type JobEvent,
  type JobEventPayload,
  type JobImage,
  type JobOperation,
  type JobProcessDetailsPayload,
  PROCESS_DETAIL_FIELDS,
} from './job-events';

/**
 * The status was written by a new request: every cancel and delete write sets lastUpdatedAt; the counts' writes never
 * do.
 */
const newRequest = (before: JobImage, after: JobImage) =>
  before.status !== after.status || before.lastUpdatedAt !== after.lastUpdatedAt;

/**
 * A cancel's cascade ends in one transaction with its work record, marking
 * the job item with its serial; an item from before that mark still shows the
 * end when its fan-out had not finished (executionsCreated set).
 */
const cancelEnded = (before: JobImage, after: JobImage) =>
  (before.executionsCreated !== true && after.executionsCreated === true) ||
  (after[CANCEL_END_ATTRIBUTE] !== undefined && after[CANCEL_END_ATTRIBUTE] !== before[CANCEL_END_ATTRIBUTE]);

type JobCase = { operation: JobOperation; when: (before: JobImage, after: JobImage) => boolean };

/**
 * Which change of a job item (there before and after) is which event; the
 * first that matches. A cancel starts with the write that makes the job
 * CANCELED (CancelJob, an abort, a schedule's end; again: a forced cancel
 * after a plain one restarts the cascade) and a delete with the one that makes
 * it DELETION_IN_PROGRESS. Anything else (counts, UpdateJob, a scheduled
 * start) is no event.
 */
const JOB_CASES: readonly JobCase[] = [
  { operation: 'completed', when: (before, after) => after.status === 'COMPLETED' && before.status !== 'COMPLETED' },
  {
    operation: 'deletion_in_progress',
    when: (before, after) => after.status === 'DELETION_IN_PROGRESS' && newRequest(before, after),
  },
  {
    operation: 'cancellation_in_progress',
    when: (before, after) => after.status === 'CANCELED' && newRequest(before, after),
  },
  {
    operation: 'canceled',
    when: (before, after) => after.status === 'CANCELED' && before.status === 'CANCELED' && cancelEnded(before, after),
  },
];

/** What each job event carries besides the job (AWS's example of each). */
const JOB_PAYLOADS: Record<
  JobOperation,
  { status: JobEventPayload['status']; counts?: true; completedAt?: true; forceCanceled?: true }
> = {
  completed: { status: 'COMPLETED', counts: true, completedAt: true },
  canceled: { status: 'CANCELED', counts: true, forceCanceled: true },
  deleted: { status: 'DELETED' },
  cancellation_in_progress: { status: 'CANCELLATION_IN_PROGRESS' },
  deletion_in_progress: { status: 'DELETION_IN_PROGRESS' },
};

function jobOperationOf(before: JobImage | undefined, after: JobImage | undefined): JobOperation | undefined {
  // Only the delete cascade's end deletes a job item (finishDeleteParams); a new one (CreateJob) is no event.
  if (!after) return before ? 'deleted' : undefined;
  if (!before || before.incarnation !== after.incarnation) return undefined;
  return JOB_CASES.find((c) => c.when(before, after))?.operation;
}

const processDetailsOf = (job: JobImage): JobProcessDetailsPayload =>
  Object.fromEntries(
    COUNTED_STATUSES.map((status) => [PROCESS_DETAIL_FIELDS[status], Math.max(0, job.executionCounts?.[status] ?? 0)]),
  ) as JobProcessDetailsPayload;

/**
 * A `canceled` event with the counts as they stand when it is published: the
 * cascade's end mark is written before the counts aggregator has counted the
 * cancellations it made, so the image it comes from is behind (`completed`
 * needs none of this: the counts themselves complete a job).
 */
export function withCurrentCounts(
  event: JobEvent,
  job: Pick<JobImage, 'incarnation' | 'executionCounts'> | undefined,
): JobEvent {
  if (
    event.operation !== 'canceled' ||
    event.detailType !== JOB_EVENT_DETAIL_TYPE ||
    !job ||
    job.incarnation !== event.incarnation
  )
    return event;
  return { ...event, payload: { ...event.payload, jobProcessDetails: processDetailsOf(job as JobImage) } };
}

/** Whether an event's payload would change with the counts as they stand (see withCurrentCounts). */
export const needsCurrentCounts = (event: JobEvent): boolean =>
  event.operation === 'canceled' && event.detailType === JOB_EVENT_DETAIL_TYPE;

/** The job event of one change of a job item, if it is one. */
export function jobEventOf(change: ItemChange<JobImage>, context: EventContext): JobEvent | undefined {
  const operation = jobOperationOf(change.before, change.after);
  if (!operation) return undefined;
  const job = (change.after ?? change.before)!;
  const shape = JOB_PAYLOADS[operation];
  const payload: JobEventPayload = {
    eventType: 'JOB',
    ...headerOf(change, operation, context),
    jobId: job.jobId,
    status: shape.status,
    ...(shape.forceCanceled && job.forceCanceled !== undefined ? { forceCanceled: job.forceCanceled } : {}),
    targetSelection: job.targetSelection ?? 'SNAPSHOT',
    targets: job.targets,
    ...(job.description !== undefined ? { description: job.description } : {}),
    ...(shape.completedAt && job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
    createdAt: job.createdAt,
    lastUpdatedAt: job.lastUpdatedAt,
    ...(job.comment !== undefined ? { comment: job.comment } : {}),
    ...(shape.counts ? { jobProcessDetails: processDetailsOf(job) } : {}),
  };
  return {
    detailType: JOB_EVENT_DETAIL_TYPE,
    topic: `$aws/events/job/${job.jobId}/${operation}`,
    operation,
    payload,
    incarnation: job.incarnation,
  };
}
