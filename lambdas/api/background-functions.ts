import type { QueryIndex, TableAction } from './route-definition';

/**
 * The functions that no route calls: the sweeper, the job worker and the stream consumers, with their grants (read by
 * CDK, the local runner and tests, as the routes are).
 */

/**
 * Each API's catch-all route (`ANY /{proxy+}`, which API Gateway takes only
 * when no route does): names the AWS operation a client asked for that this
 * service lacks. It touches no table.
 */
export const UNSUPPORTED_OPERATION = {
  /** Construct IDs of its two functions (a contract). */
  ids: { device: 'DeviceUnsupportedOperation', management: 'ManagementUnsupportedOperation' },
  handlerFile: 'unsupported-operation',
  path: '/{proxy+}',
} as const;

/** The scheduled timeout sweeper: not a route, but deployed and granted the same way. */
export const TIMEOUT_SWEEPER = {
  /** Construct ID of its function (a contract). */
  id: 'SweepTimedOutExecutions',
  handlerFile: 'sweep-timed-out-executions',
  /** It reads only the deadline index and changes only existing executions: no Put, no Delete, no GetItem. */
  tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
  queryIndex: 'deadlines',
} as const satisfies { id: string; handlerFile: string; tableActions: readonly TableAction[]; queryIndex: QueryIndex };

/**
 * The job worker: takes job work (fan-outs, cascades) from the SQS queue, and
 * on a schedule asks again for work whose worker died. It does whatever
 * CreateJob, CancelJob and DeleteJob start, so it holds all their grants
 * (and AssociateTargetsWithJob's: a continuous job's REMOVED execution queued
 * again in a transaction that checks the job and the thing, ConditionCheckItem).
 */
export const JOB_WORKER = {
  id: 'RunJobWork',
  handlerFile: 'run-job-work',
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  /**
   * The members of target groups, the list of stalled work (registry); what a deletion finds left (executionsByJob).
   */
  queryIndexes: ['registry', 'executionsByJob'],
  /**
   * SQS redelivers a message whose run failed this many times, then sets it aside in the dead-letter queue (the
   * schedule asks again later).
   */
  maxReceiveCount: 10,
  /** How often the schedule looks for stalled work, in minutes. */
  resumeEveryMinutes: 1,
} as const satisfies {
  id: string;
  handlerFile: string;
  tableActions: readonly TableAction[];
  queryIndexes: readonly QueryIndex[];
  maxReceiveCount: number;
  resumeEveryMinutes: number;
};

/**
 * The membership reactor, fed by the table's stream (membership items only):
 * gives a continuous job's execution to a thing that joins a target group,
 * and moves a QUEUED one to REMOVED when the thing leaves.
 */
export const MEMBERSHIP_REACTOR = {
  id: 'ReactToMemberships',
  handlerFile: 'react-to-memberships',
  // GetItem and Query of jobs, listings, memberships and executions (no index); the joiner's transaction (a check of
  // the job and the thing, two puts); QUEUED -> REMOVED. Dynamic groups' upkeep and builds: their listings (Query), a
  // page of things (Query, registry index), the page's memberships (BatchGetItem), a membership in or out with the
  // group's count and a check of the thing (PutItem, DeleteItem, UpdateItem, ConditionCheckItem).
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:UpdateItem',
  ],
  queryIndex: 'registry',
  /**
   * Its work is idempotent (each thing reconciled with its memberships as they
   * are), so a failing batch is split and retried as long as the stream keeps
   * it, rather than set aside: a membership change given up would leave a
   * thing without its job. What still fails goes to a dead-letter queue.
   */
  failedBatches: { bisect: true, retryAttempts: 10_000 },
} as const satisfies {
  id: string;
  handlerFile: string;
  tableActions: readonly TableAction[];
  queryIndex: 'registry';
  failedBatches: { bisect: boolean; retryAttempts: number };
};

/**
 * The job counts aggregator, fed by the table's stream: it writes job items, its own change markers and the execution
 * history (and a retry's next attempt).
 */
export const JOB_COUNTS_AGGREGATOR = {
  id: 'AggregateJobCounts',
  handlerFile: 'aggregate-job-counts',
  // PutItem and UpdateItem inside TransactWriteItems (markers and counts; an abort's cancel of the job and its work
  // record; a retry's next attempt, beside a ConditionCheck of its job); GetItem to see the job after; BatchWriteItem:
  // the execution history.
  tableActions: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:GetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:BatchWriteItem',
  ],
  /**
   * A batch that keeps failing must not hold up the counts of every job
   * behind it: it is split in halves, each retried on its own, and what still
   * fails after `retryAttempts` retries is set aside (deployed: an SQS queue;
   * locally: a file in the data directory) for `npm run recount` to repair
   * from. Lambda's event source does this with the stack's settings, the
   * local poller the same way.
   */
  failedBatches: { bisect: true, retryAttempts: 10 },
} as const satisfies {
  id: string;
  handlerFile: string;
  tableActions: readonly TableAction[];
  failedBatches: { bisect: boolean; retryAttempts: number };
};
