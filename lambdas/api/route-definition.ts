/** What a route of the route table says: read by CDK, the local runner and the tests. */
export type ApiName = 'device' | 'management';
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/**
 * DynamoDB actions a route's function is granted on the jobs table (and Query on the pending index): least privilege,
 * per function.
 */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:ConditionCheckItem';

/** The indexes a route's Query calls read; each function may query only its own. */
export type QueryIndex = 'pending' | 'executionsByJob' | 'jobs' | 'deadlines' | 'registry';

export interface RouteDefinition {
  /** The AWS operation name. */
  operation: string;
  /** Construct ID of its function (a contract: do not rename); the operation name unless two APIs share it. */
  functionId?: string;
  api: ApiName;
  method: HttpMethod;
  /** API Gateway route path; `{label}` matches one percent-decoded path segment. */
  path: string;
  /** Module under lambdas/api/handlers exporting `handler` (and `bind`); handlerModulePath gives its file. */
  handlerFile: string;
  tableActions: readonly TableAction[];
  queryIndex?: QueryIndex;
  /**
   * It may hand job work (a fan-out, a cascade) to the job work queue: it is allowed to send to it, and told where it
   * is.
   */
  requestsWork?: true;
  /**
   * Its answer shows what is derived from the table's stream (job counts,
   * COMPLETED, a continuous job's executions for things that joined its
   * groups): deployed, that trails the write by a moment; the local runner
   * lets the stream catch up first.
   */
  showsAggregates?: true;
  /** Its function is told where the device API answers (DescribeEndpoint). */
  namesEndpoints?: true;
  /**
   * Deployed, it shares one function with the other routes of the same `id` (granted what they all list together):
   * `handlerFile` there is a module that serves each by its route key. A stack holds at most 500 resources, and a
   * function of its own costs a route five; the local runner still mounts each route's own handlerFile.
   */
  sharedFunction?: { id: string; handlerFile: string };
}

export const functionIdOf = (route: RouteDefinition): string =>
  route.sharedFunction?.id ?? route.functionId ?? route.operation;

/** What the stack deploys a route's function from: its own handler module, or the one its shared function runs. */
export const deployedHandlerFile = (route: RouteDefinition): string =>
  route.sharedFunction?.handlerFile ?? route.handlerFile;
