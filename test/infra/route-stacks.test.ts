import { describe, expect, it } from 'vitest';
import { functionIdOf, ROUTES } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

/**
 * CloudFormation refuses a template of more than 500 resources. Each template stays under this budget, which leaves
 * room for about seven more routes (seven resources each) in a template before the limit; past it, a family of routes
 * moves to a nested stack (`deployedIn`).
 */
const RESOURCE_BUDGET = 450;

const { api, dataTemplate, apiTemplate, apiStackTemplates } = synthStacks();
const folded = templateResources(apiTemplate);
/** The template each route's resources are in: the API stack's own, or its nested stack's. */
const templateOf = (route: (typeof ROUTES)[number]) => apiStackTemplates.get(route.deployedIn ?? api.node.id)!;
const routeKeysIn = (template: ReturnType<typeof templateOf>) =>
  templateResources(template)
    .ofType('AWS::ApiGatewayV2::Route')
    .map(([, r]) => r.Properties.RouteKey as string);
/** A route's function, by its construct ID and CDK's 8-character hash. */
const functionIn = (resources: ReturnType<typeof templateResources>, route: (typeof ROUTES)[number]) =>
  resources
    .ofType('AWS::Lambda::Function')
    .filter(([id]) => id.startsWith(functionIdOf(route)) && id.length === functionIdOf(route).length + 8)
    .map(([id]) => id);

describe('where routes are deployed', () => {
  it('makes one nested stack per deployedIn name the route table uses, and no other', () => {
    const names = [...new Set(ROUTES.flatMap((r) => (r.deployedIn ? [r.deployedIn] : [])))].sort();
    expect([...api.routeStacks.keys()].sort()).toEqual(names);
    expect([...apiStackTemplates.keys()].sort()).toEqual([api.node.id, ...names].sort());
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'puts %s, its function and its integration in the template its deployedIn names',
    (routeKey, route) => {
      const home = templateOf(route);
      const elsewhere = [...apiStackTemplates.values()].filter((t) => t !== home);
      // The device and management APIs share some paths: as many as the table has there.
      const sameKey = ROUTES.filter((r) => `${r.method} ${r.path}` === routeKey && r.deployedIn === route.deployedIn);
      expect(routeKeysIn(home).filter((key) => key === routeKey)).toHaveLength(sameKey.length);
      expect(functionIn(templateResources(home), route)).toHaveLength(1);
      for (const other of elsewhere) expect(functionIn(templateResources(other), route)).toEqual([]);
    },
  );

  it('gives each route a function of its own: its integration invokes that function and no other route does', () => {
    const invoked = ROUTES.map((route) => {
      const [, apiRoute] = folded
        .ofType('AWS::ApiGatewayV2::Route')
        .find(
          ([, r]) =>
            r.Properties.RouteKey === `${route.method} ${route.path}` &&
            JSON.stringify(r.Properties.ApiId).includes(route.api === 'device' ? 'DeviceApi' : 'ManagementApi'),
        )!;
      const integrationId = JSON.stringify(apiRoute.Properties.Target).match(/"Ref":"(\w+)"/)![1]!;
      const uri = JSON.stringify(folded.resources[integrationId]!.Properties.IntegrationUri);
      expect(uri).toContain(functionIn(folded, route)[0]);
      return uri;
    });
    expect(new Set(invoked).size).toBe(ROUTES.length);
  });
});

describe('resource budget', () => {
  it.each([...apiStackTemplates.entries(), ['IotJobsData', dataTemplate] as const])(
    `keeps %s within ${RESOURCE_BUDGET} resources`,
    (_name, template) => {
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(RESOURCE_BUDGET);
    },
  );
});
