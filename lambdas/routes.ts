/**
 * The route table: read by the CDK stack (one Lambda per route) and by the
 * local runner (which invokes the same handler modules), so they cannot drift.
 */
export type ApiName = 'device' | 'management';
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** DynamoDB actions a route's function is granted on the jobs table (and Query on the pending index): least privilege, per function. */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:Query' | 'dynamodb:UpdateItem' | 'dynamodb:PutItem' | 'dynamodb:BatchWriteItem';

export interface RouteDefinition {
  /** The AWS operation name; also the construct ID of its function (a contract: do not rename). */
  operation: string;
  api: ApiName;
  method: HttpMethod;
  /** API Gateway route path; `{label}` matches one percent-decoded path segment. */
  path: string;
  /** Module under lambdas/handlers exporting `handler`. */
  handlerFile: string;
  tableActions: readonly TableAction[];
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'GetPendingJobExecutions',
    api: 'device',
    method: 'GET',
    path: '/things/{thingName}/jobs',
    handlerFile: 'get-pending-job-executions',
    // UpdateItem: an expired execution it meets is written TIMED_OUT on the spot.
    tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'StartNextPendingJobExecution',
    api: 'device',
    method: 'PUT',
    // AWS's path is /things/{thingName}/jobs/$next; the handler accepts only that jobId.
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'start-next-pending-job-execution',
    tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },
  {
    operation: 'DescribeJobExecution',
    api: 'device',
    method: 'GET',
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'describe-job-execution',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'UpdateJobExecution',
    api: 'device',
    method: 'POST',
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'update-job-execution',
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },
  {
    operation: 'CreateJob',
    api: 'management',
    method: 'PUT',
    path: '/jobs/{jobId}',
    handlerFile: 'create-job',
    tableActions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'],
  },
];

/** The scheduled timeout sweeper: not a route, but deployed and granted the same way. */
export const TIMEOUT_SWEEPER = {
  /** Construct ID of its function (a contract). */
  id: 'SweepTimedOutExecutions',
  handlerFile: 'sweep-timed-out-executions',
  /** It reads only the deadline index and changes only existing executions: no Put, no Delete, no GetItem. */
  tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
} as const satisfies { id: string; handlerFile: string; tableActions: readonly TableAction[] };
