import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes';
import { type MountedRoute, matchRoute } from '../../local/http/api-gateway-adapter';

const mounted: MountedRoute[] = ROUTES.map((route) => ({ route, handler: async () => ({ statusCode: 200 }) }));
const device = mounted.filter((m) => m.route.api === 'device');

describe('matchRoute (as an API Gateway HTTP API matches)', () => {
  it.each([
    ['GET', '/things/t1/jobs', 'GetPendingJobExecutions', { thingName: 't1' }],
    ['GET', '/things/t1/jobs/%24next', 'DescribeJobExecution', { thingName: 't1', jobId: '$next' }],
    ['GET', '/things/t%3A1/jobs/j1', 'DescribeJobExecution', { thingName: 't:1', jobId: 'j1' }],
    ['PUT', '/things/t1/jobs/$next', 'StartNextPendingJobExecution', { thingName: 't1', jobId: '$next' }],
    ['POST', '/things/t1/jobs/j1', 'UpdateJobExecution', { thingName: 't1', jobId: 'j1' }],
  ])('%s %s goes to %s with decoded labels', (method, path, operation, params) => {
    const match = matchRoute(device, method, path);
    expect(match?.mounted.route.operation).toBe(operation);
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['DELETE', '/things/t1/jobs/j1'],
    ['GET', '/things/t1'],
    ['GET', '/things//jobs'],
    ['GET', '/things/t1/jobs/j1/extra'],
    ['PUT', '/jobs/j1'],
  ])('takes no route for %s %s', (method, path) => {
    expect(matchRoute(device, method, path)).toBeUndefined();
  });

  it('keeps the management API apart: PUT /jobs/{jobId} is CreateJob there', () => {
    const management = mounted.filter((m) => m.route.api === 'management');
    expect(matchRoute(management, 'PUT', '/jobs/j1')?.mounted.route.operation).toBe('CreateJob');
    expect(matchRoute(management, 'GET', '/things/t1/jobs')?.mounted.route.operation).toBe('ListJobExecutionsForThing');
    expect(matchRoute(management, 'PUT', '/things/t1/jobs/$next')?.mounted.route.operation).toBeUndefined();
  });

  it('throws on a malformed percent-escape, for the adapter to answer 400', () => {
    expect(() => matchRoute(device, 'GET', '/things/%E0%A4%A/jobs')).toThrow(URIError);
  });
});
