import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { BindableRoute } from '../../lambdas/api/define-route';
import { type HttpMethod, handlerModulePath, ROUTES } from '../../lambdas/api/routes';
import { buildServices, DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { gatewayEvent } from '../../local/http/gateway-event';
import { check } from '../workload/answer-check';
import { OPERATIONS, type OperationId, statusDetailsFor } from '../workload/workload';
import { median } from './summary';

/** A warm Lambda invocation of each device operation: its handler's time, and that time without its DynamoDB calls. */
export interface HandlerTimeStats {
  id: OperationId;
  label: string;
  requests: number;
  /** From the event handed over to the response returned. */
  handlerP50Ms: number;
  /** The request's DynamoDB calls, from the document client's send to its answer (the SDK's own work included). */
  dynamoP50Ms: number;
  /** Per request, the handler's time minus its DynamoDB calls': parsing, rules, the response. */
  ownP50Ms: number;
}

/** Where each operation's request goes, and what it carries. */
const REQUESTS: Record<
  OperationId,
  { method: HttpMethod; path: string; jobId?: '$next'; body?: (version?: number) => object }
> = {
  'get-pending': { method: 'GET', path: '/things/{thingName}/jobs' },
  'describe-next': { method: 'GET', path: '/things/{thingName}/jobs/{jobId}', jobId: '$next' },
  'start-next': {
    method: 'PUT',
    path: '/things/{thingName}/jobs/{jobId}',
    jobId: '$next',
    body: () => ({ statusDetails: statusDetailsFor('start-next') }),
  },
  'update-in-progress': {
    method: 'POST',
    path: '/things/{thingName}/jobs/{jobId}',
    body: () => ({
      status: 'IN_PROGRESS',
      statusDetails: statusDetailsFor('update-in-progress'),
      includeJobExecutionState: true,
    }),
  },
  'describe-by-id': { method: 'GET', path: '/things/{thingName}/jobs/{jobId}' },
  'update-succeeded': {
    method: 'POST',
    path: '/things/{thingName}/jobs/{jobId}',
    body: (version) => ({
      status: 'SUCCEEDED',
      statusDetails: statusDetailsFor('update-succeeded'),
      expectedVersion: version,
    }),
  },
};

/** Times the DynamoDB calls the client sends, one request at a time. */
function timeDynamoCalls(client: DynamoDBDocumentClient): { take(): number } {
  let spent = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const sent = performance.now();
      try {
        return await next(args);
      } finally {
        spent += performance.now() - sent;
      }
    },
    { step: 'initialize', name: 'benchDynamoTimer' },
  );
  return {
    take: () => {
      const taken = spent;
      spent = 0;
      return taken;
    },
  };
}

/**
 * The route handlers Lambda runs, called in this process with API Gateway
 * events, one request at a time, on things whose next job is `jobId`: the
 * handler's own share of a warm invocation, with no HTTP hop in the way.
 */
export async function measureHandlerTime(
  connection: { dynamoEndpoint: string; tableName: string },
  thingNames: readonly string[],
  jobId: string,
): Promise<HandlerTimeStats[]> {
  let timer: { take(): number } | undefined;
  const services = buildServices({
    ...connection,
    ...DEFAULT_ARN_CONTEXT,
    implicitThings: true,
    clock: Date.now,
    observeDynamoClient: (client) => (timer = timeDynamoCalls(client)),
  });
  const versions = new Map<string, number>();
  try {
    const stats: HandlerTimeStats[] = [];
    for (const { id, label } of OPERATIONS) {
      const spec = REQUESTS[id];
      const route = ROUTES.find((r) => r.api === 'device' && r.method === spec.method && r.path === spec.path);
      if (!route) throw new Error(`No device route for ${spec.method} ${spec.path}`);
      const handler = ((await import(handlerModulePath(route.handlerFile))) as BindableRoute).bind(() => services);
      const handlerMs: number[] = [];
      const dynamoMs: number[] = [];
      const ownMs: number[] = [];
      for (const thingName of thingNames) {
        const body = spec.body?.(versions.get(thingName));
        const event: APIGatewayProxyEventV2 = gatewayEvent({
          route,
          apiId: 'bench',
          method: spec.method,
          path: spec.path.replace('{thingName}', thingName).replace('{jobId}', spec.jobId ?? jobId),
          rawQueryString: '',
          query: {},
          headers: { host: 'bench', 'content-type': 'application/json' },
          pathParameters: { thingName, ...(spec.path.includes('{jobId}') ? { jobId: spec.jobId ?? jobId } : {}) },
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        timer!.take();
        const started = performance.now();
        const response = await handler(event);
        const handled = performance.now() - started;
        const dynamo = timer!.take();
        check(response.statusCode === 200, `${label} for ${thingName}: ${response.statusCode} ${response.body}`);
        if (id === 'update-in-progress')
          versions.set(
            thingName,
            (JSON.parse(response.body!) as { executionState: { versionNumber: number } }).executionState.versionNumber,
          );
        handlerMs.push(handled);
        dynamoMs.push(dynamo);
        ownMs.push(handled - dynamo);
      }
      stats.push({
        id,
        label,
        requests: thingNames.length,
        handlerP50Ms: median(handlerMs),
        dynamoP50Ms: median(dynamoMs),
        ownP50Ms: median(ownMs),
      });
    }
    return stats;
  } finally {
    services.dispose();
  }
}
