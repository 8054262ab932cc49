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
   * Deployed, its function, route and integration live in this nested stack of the API stack rather than in the stack
   * itself (which CloudFormation caps at 500 resources, and a route costs seven); unset, in the stack itself.
   */
  deployedIn?: NestedRouteStack;
}

/**
 * The nested stacks that hold route families of their own, one per name: a new family joins one of them, or a new
 * name here adds its own. A name is a contract once deployed (a route moved to another stack gets a new function).
 */
export type NestedRouteStack = 'CertificateRoutes' | 'FleetIndexRoutes' | 'DocumentRoutes';

export const functionIdOf = (route: RouteDefinition): string => route.functionId ?? route.operation;
