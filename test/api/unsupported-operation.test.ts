import { describe, expect, it } from 'vitest';
import { answerUnsupported } from '../../lambdas/api/handlers/unsupported-operation';
import { ROUTES } from '../../lambdas/api/routes';
import { awsOperationAt } from '../../lambdas/api/unsupported-operation';
import { gatewayEvent } from '../support/gateway-event';

/** Which AWS operation a request no route takes was asking for, from AWS's own service models. */
describe('awsOperationAt', () => {
  it.each([
    ['management', 'GET', '/endpoint', 'DescribeEndpoint'],
    ['management', 'PUT', '/fleet-metric/m1', 'CreateFleetMetric'],
    ['management', 'POST', '/audit/findings', 'ListAuditFindings'],
    // A literal segment wins over a label in the same place.
    ['management', 'PUT', '/thing-groups/addThingToThingGroup', 'AddThingToThingGroup'],
    ['management', 'patch', '/job-templates/t1', undefined],
    ['device', 'POST', '/command-executions', 'StartCommandExecution'],
    ['device', 'PUT', '/jobs/j1', undefined],
    ['management', 'GET', '/no/such/thing/here', undefined],
  ] as const)('%s %s %s: %s', (api, method, path, operation) => {
    expect(awsOperationAt(api, method, path)).toBe(operation);
  });

  it('names every route of ours as the AWS operation it implements (the table and the routes agree)', () => {
    for (const route of ROUTES.filter((r) => !r.path.startsWith('/history/'))) {
      // StartNext's AWS path ends in a literal $next, which our route takes as its {jobId}.
      const path = route.path
        .replace('{jobId}', route.operation === 'StartNextPendingJobExecution' ? '$next' : '{jobId}')
        .replace(/\{[^}]+\}/g, 'x1');
      expect([route.operation, awsOperationAt(route.api, route.method, path)]).toEqual([
        route.operation,
        route.operation,
      ]);
    }
  });

  it("answers an unknown path with API Gateway's own 404", async () => {
    const response = await answerUnsupported('management')({
      ...gatewayEvent({ requestId: 'r9' }),
      rawPath: '/nothing',
    });
    expect(response).toMatchObject({ statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
  });
});
