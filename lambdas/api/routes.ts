import { fileURLToPath } from 'node:url';
import type { RouteDefinition } from './route-definition';
import { CERTIFICATE_ROUTES } from './route-families/certificate-routes';
import { HISTORY_ROUTES } from './route-families/history-routes';
import { INDEX_ROUTES } from './route-families/index-routes';
import { MANAGED_TEMPLATE_ROUTES } from './route-families/managed-template-routes';
import { TEMPLATE_ROUTES } from './route-families/template-routes';
import { THING_ROUTES } from './route-families/thing-routes';

/**
 * The route table: read by the CDK stack (one Lambda per route) and by the
 * local runner (which invokes the same handler modules), so they cannot drift.
 */
export type { ApiName, HttpMethod, QueryIndex, RouteDefinition, TableAction } from './route-definition';

export { functionIdOf } from './route-definition';

/** The one place that knows where handler modules live: CDK bundles this file, the local runner and tests import it. */
export const handlerModulePath = (handlerFile: string): string =>
  fileURLToPath(new URL(`./handlers/${handlerFile}.ts`, import.meta.url));

export const ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'GetPendingJobExecutions',
    api: 'device',
    method: 'GET',
    path: '/things/{thingName}/jobs',
    handlerFile: 'get-pending-job-executions',
    // UpdateItem: an expired execution it meets is written TIMED_OUT on the spot. GetItem: the certificate table.
    tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:GetItem'],
    queryIndex: 'pending',
  },
  {
    operation: 'StartNextPendingJobExecution',
    api: 'device',
    method: 'PUT',
    // AWS's path is /things/{thingName}/jobs/$next; the handler accepts only that jobId.
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'start-next-pending-job-execution',
    tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:GetItem'],
    queryIndex: 'pending',
  },
  {
    operation: 'DescribeJobExecution',
    api: 'device',
    method: 'GET',
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'describe-job-execution',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    queryIndex: 'pending',
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
    // The job and its work record in one transaction (PutItem); then the first part of its fan-out, done in the
    // request: GetItem (the job, its pages), UpdateItem (the lease, the cursor, in transactions with PutItem of pages),
    // Query (the pages; the members of thing group targets, in the registry index), BatchWriteItem (executions),
    // BatchGetItem (are the targets registered?).
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    ],
    requestsWork: true,
    queryIndex: 'registry',
  },
  {
    operation: 'AssociateTargetsWithJob',
    api: 'management',
    method: 'POST',
    path: '/jobs/{jobId}/targets',
    handlerFile: 'associate-targets-with-job',
    // The job read (GetItem), its new groups checked (BatchGetItem) and read with the groups below them (Query,
    // registry); the job listed under them (BatchWriteItem), the job and its work record changed in one transaction
    // (UpdateItem); then the first part of the fan-out of the new groups, as CreateJob does it (conditional PutItem of
    // executions, pages), where a member whose execution was REMOVED is queued again as the membership reactor does
    // it (GetItem, and a transaction that checks the job and the thing: ConditionCheckItem).
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
    ],
    requestsWork: true,
    queryIndex: 'registry',
  },
  {
    operation: 'DescribeJob',
    api: 'management',
    method: 'GET',
    path: '/jobs/{jobId}',
    handlerFile: 'describe-job',
    tableActions: ['dynamodb:GetItem'],
    showsAggregates: true,
  },
  {
    operation: 'ListJobs',
    api: 'management',
    method: 'GET',
    path: '/jobs',
    handlerFile: 'list-jobs',
    // The jobs index does not project a job's targetSelection (it came later, and an index's projection cannot change
    // in place): one BatchGetItem per page reads it.
    tableActions: ['dynamodb:Query', 'dynamodb:BatchGetItem'],
    queryIndex: 'jobs',
    showsAggregates: true,
  },
  {
    operation: 'UpdateJob',
    api: 'management',
    method: 'PATCH',
    path: '/jobs/{jobId}',
    handlerFile: 'update-job',
    // The job read (GetItem), and with a new rollout rate its work record (GetItem); the job, and the work record's
    // rollout, changed in one transaction (UpdateItem); then the worker asked to release what the new rate allows now.
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    requestsWork: true,
  },
  {
    operation: 'CancelJob',
    api: 'management',
    method: 'PUT',
    path: '/jobs/{jobId}/cancel',
    handlerFile: 'cancel-job',
    // The job read, then changed with its work record in one transaction; then the first pages of the cascade: each
    // execution of the things on the job's pages (GetItem of a page), one conditional UpdateItem each. It reads no
    // index.
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    requestsWork: true,
  },
  {
    operation: 'DeleteJob',
    api: 'management',
    method: 'DELETE',
    path: '/jobs/{jobId}',
    handlerFile: 'delete-job',
    // As CancelJob, deleting (BatchWriteItem) instead; at the end whatever the executionsByJob index still lists, then
    // the job and its record (DeleteItem, in a transaction).
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
    ],
    queryIndex: 'executionsByJob',
    requestsWork: true,
  },
  {
    operation: 'GetJobDocument',
    api: 'management',
    method: 'GET',
    path: '/jobs/{jobId}/job-document',
    handlerFile: 'get-job-document',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'ListJobExecutionsForJob',
    api: 'management',
    method: 'GET',
    path: '/jobs/{jobId}/things',
    handlerFile: 'list-job-executions-for-job',
    // UpdateItem: expired executions on the page are written TIMED_OUT. BatchGetItem: a job with retries has the
    // page's executions read whole (the index does not project retryAttempt).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
    queryIndex: 'executionsByJob',
    // Continuous jobs' executions come from group membership changes, read off the stream.
    showsAggregates: true,
  },
  {
    operation: 'ListJobExecutionsForThing',
    api: 'management',
    method: 'GET',
    path: '/things/{thingName}/jobs',
    handlerFile: 'list-job-executions-for-thing',
    tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
    // Continuous jobs' executions come from group membership changes, read off the stream.
    showsAggregates: true,
  },
  {
    operation: 'DescribeJobExecution',
    // The device API has an operation of the same name.
    functionId: 'ManagementDescribeJobExecution',
    api: 'management',
    method: 'GET',
    path: '/things/{thingName}/jobs/{jobId}',
    handlerFile: 'describe-job-execution-for-operator',
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    // Continuous jobs' executions come from group membership changes, read off the stream.
    showsAggregates: true,
  },
  {
    operation: 'CancelJobExecution',
    api: 'management',
    method: 'PUT',
    path: '/things/{thingName}/jobs/{jobId}/cancel',
    handlerFile: 'cancel-job-execution',
    tableActions: ['dynamodb:UpdateItem'],
  },
  {
    operation: 'DeleteJobExecution',
    api: 'management',
    method: 'DELETE',
    path: '/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}',
    handlerFile: 'delete-job-execution',
    tableActions: ['dynamodb:DeleteItem'],
  },
  {
    operation: 'DescribeEndpoint',
    api: 'management',
    method: 'GET',
    path: '/endpoint',
    handlerFile: 'describe-endpoint',
    // It reads nothing: the stack tells its function where the device API answers.
    tableActions: [],
    namesEndpoints: true,
  },
  ...THING_ROUTES,
  ...CERTIFICATE_ROUTES,
  ...TEMPLATE_ROUTES,
  ...HISTORY_ROUTES,
  ...INDEX_ROUTES,
  ...MANAGED_TEMPLATE_ROUTES,
];

export {
  JOB_COUNTS_AGGREGATOR,
  JOB_WORKER,
  MEMBERSHIP_REACTOR,
  TIMEOUT_SWEEPER,
  UNSUPPORTED_OPERATION,
} from './background-functions';
