import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlerModulePath, ROUTES } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { gatewayEvent } from '../support/gateway-event';
import { executionRecord, seedExecutions } from '../support/seed';
import { createTestTable } from '../support/test-table';

/**
 * Device handlers as deployed behind mutual TLS: the stack sets the device-auth variable to subject-cn, API Gateway
 * passes the certificate subject.
 */
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let getPending: Handler;
let update: Handler;

beforeAll(async () => {
  const table = await createTestTable();
  await seedExecutions(table, [executionRecord('dev1', 'j1'), executionRecord('dev2', 'j1')]);
  Object.assign(process.env, {
    [ENVIRONMENT.tableName]: table.tableName,
    [ENVIRONMENT.dynamoEndpoint]: table.endpoint,
    [ENVIRONMENT.deviceAuth]: 'subject-cn',
  });
  getPending = await deviceHandler('GetPendingJobExecutions');
  update = await deviceHandler('UpdateJobExecution');
});

afterEach(() => vi.restoreAllMocks());

async function deviceHandler(operation: string): Promise<Handler> {
  const route = ROUTES.find((r) => r.api === 'device' && r.operation === operation)!;
  return ((await import(handlerModulePath(route.handlerFile))) as { handler: Handler }).handler;
}

function event(path: Record<string, string>, subject?: string, body?: unknown): APIGatewayProxyEventV2 {
  return gatewayEvent({ path, body, ...(subject ? { clientCertificateSubject: subject } : {}) });
}

describe('device identity from the client certificate', () => {
  it('lets a device read its own jobs', async () => {
    const response = await getPending(event({ thingName: 'dev1' }, 'CN=dev1,O=Acme'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!).queuedJobs).toHaveLength(1);
  });

  it.each([
    ["another thing's certificate", 'CN=dev2,O=Acme'],
    ['no certificate', undefined],
  ])('answers 403 AccessDeniedException with %s, and logs the attempt', async (_name, subject) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const response = await getPending(event({ thingName: 'dev1' }, subject));
    expect(response.statusCode).toBe(403);
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'AccessDeniedException' });
    expect(JSON.parse(warn.mock.calls[0]![0] as string)).toMatchObject({
      level: 'warn',
      error: 'AccessDeniedException',
      clientCertificateSubject: subject ?? null,
      path: { thingName: 'dev1' },
    });
  });

  it("changes nothing when a device tries to complete another thing's job", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const denied = await update(event({ thingName: 'dev1', jobId: 'j1' }, 'CN=dev2', { status: 'SUCCEEDED' }));
    expect(denied.statusCode).toBe(403);
    const own = await getPending(event({ thingName: 'dev1' }, 'CN=dev1'));
    expect(JSON.parse(own.body!).queuedJobs[0]).toMatchObject({ jobId: 'j1', versionNumber: 1 });
  });
});
