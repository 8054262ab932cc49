import { NestedStack, Stack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { NestedRouteStack } from '../lambdas/api/route-definition';
import { type ApiName, functionIdOf, ROUTES, type RouteDefinition } from '../lambdas/api/routes';
import { ENVIRONMENT } from '../lambdas/environment';
import { type DocumentAccess, grantDocumentAccess } from './constructs/document-grants';
import { handlerFunction } from './constructs/handler-function';
import type { JobWorker } from './constructs/job-worker';

export interface RouteDeployment {
  apis: Record<ApiName, HttpApi>;
  table: ITable;
  retention: RetentionDays;
  jobWorker: JobWorker;
  /** What device handlers are told about the caller's identity (DeviceAccess's handlerPolicy). */
  deviceAuth: string;
  /** The device API's host, as DescribeEndpoint answers it. */
  deviceEndpoint: string;
  implicitThings: boolean;
  /** The document buckets and presigning roles the deployer named: granted to the routes that need them. */
  documentAccess: DocumentAccess;
}

/**
 * One function per route of the route table, each with its own route and integration, granted exactly its own table
 * actions. A route without `deployedIn` goes in the API stack itself, its construct IDs as they always were (they are
 * a contract with deployed stacks); a route with one goes, whole, in that nested stack (made on first use), so that
 * the API stack pays one resource for the family instead of seven a route.
 */
export function deployRoutes(stack: Stack, deployment: RouteDeployment): ReadonlyMap<NestedRouteStack, NestedStack> {
  const nested = new Map<NestedRouteStack, NestedStack>();
  const scopeOf = (route: RouteDefinition): Construct => {
    if (!route.deployedIn) return stack;
    let scope = nested.get(route.deployedIn);
    if (!scope) {
      scope = new NestedStack(stack, route.deployedIn, { description: `IoT Jobs API routes: ${route.deployedIn}` });
      nested.set(route.deployedIn, scope);
    }
    return scope;
  };
  for (const route of ROUTES) deployRoute(scopeOf(route), route, deployment);
  return nested;
}

function deployRoute(scope: Construct, route: RouteDefinition, deployment: RouteDeployment): void {
  const id = functionIdOf(route);
  const fn = handlerFunction(scope, id, {
    handlerFile: route.handlerFile,
    table: deployment.table,
    tableActions: route.tableActions,
    ...(route.queryIndex ? { queryIndex: route.queryIndex } : {}),
    logRetention: deployment.retention,
    environment:
      route.api === 'device'
        ? { [ENVIRONMENT.deviceAuth]: deployment.deviceAuth }
        : {
            [ENVIRONMENT.implicitThings]: String(deployment.implicitThings),
            ...(route.namesEndpoints ? { [ENVIRONMENT.deviceEndpoint]: deployment.deviceEndpoint } : {}),
          },
  });
  if (route.requestsWork) deployment.jobWorker.allowRequests(fn);
  grantDocumentAccess(fn, [route], deployment.documentAccess);
  const integration = new HttpLambdaIntegration(`${id}Integration`, fn);
  const api = deployment.apis[route.api];
  if (Stack.of(scope) === Stack.of(api)) {
    // Under the API, as HttpApi names its routes: the IDs deployed stacks already have.
    api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    return;
  }
  // In the nested stack, beside its function (the integration and API Gateway's permission to invoke come with it);
  // the API's default authorizer applies as it does under the API.
  new HttpRoute(scope, `${id}Route`, {
    httpApi: api,
    routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
    integration,
  });
}
