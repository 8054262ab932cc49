/**
 * The service's CloudWatch metrics, by name: the functions emit them (in the
 * embedded metric format, in their log lines) and the stack's alarms and
 * dashboard read them, from this one map. Plain data, so CDK code can
 * import it without the runtime.
 */
export const METRICS_NAMESPACE = 'OpenIotJobs';

/** One data point of each per API request, by operation. */
export const REQUEST_METRICS = {
  namespace: METRICS_NAMESPACE,
  dimension: 'Operation',
  requests: 'Requests',
  /** 4xx answers: the caller's mistake (a bad input, a stale version, a missing job). */
  clientErrors: 'ClientErrors',
  /** 5xx answers: ours (a bug, an unreachable or throttling store). */
  serverErrors: 'ServerErrors',
  /** From the event to the answer, in the function. */
  latency: 'Latency',
} as const;

/** One data point of each per timeout sweep (no dimension). */
export const SWEEP_METRICS = {
  /** Executions the sweep moved to TIMED_OUT. */
  timedOut: 'ExecutionsTimedOut',
  /** Deadline index items it read: its cost, bounded by what expired. */
  indexItemsRead: 'SweepIndexItemsRead',
  /** 1 when time ran out with expired executions possibly left for the next sweep. */
  incomplete: 'SweepsIncomplete',
} as const;

/** One data point of each per job work message the worker runs (no dimension): fan-out and cascade progress. */
export const JOB_WORK_METRICS = {
  /** Targets the run gave their execution (a page a dead worker left, written again where absent, counts too). */
  fannedOut: 'FanOutTargets',
  /** Targets a CancelJob or DeleteJob cascade walked in the run. */
  cascaded: 'CascadeTargets',
  /** 1 when the run failed (SQS delivers the message again; past maxReceiveCount, to the dead-letter queue). */
  failed: 'JobWorkFailures',
  /** From the claim to the end of the run. */
  duration: 'JobWorkDuration',
} as const;
