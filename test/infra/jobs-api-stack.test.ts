import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/routes';
import { synthStacks } from '../support/synth';

const { apiTemplate } = synthStacks();
type Resource = { Type: string; Properties: Record<string, any> };
const resources = apiTemplate.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionIdOf = (operation: string) => {
  const match = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(operation) && /^[A-Za-z]+[0-9A-F]{8}$/.test(id) && id.length === operation.length + 8);
  if (!match) throw new Error(`no function for ${operation}`);
  return match[0];
};

describe('JobsApiStack', () => {
  it('has two HTTP APIs: device and management', () => {
    expect(ofType('AWS::ApiGatewayV2::Api').map(([, r]) => r.Properties.ProtocolType)).toEqual(['HTTP', 'HTTP']);
  });

  it('has one function per route', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(ROUTES.length);
  });

  it.each(ROUTES.map((r) => [r.operation, r] as const))('routes %s on its own API', (_op, route) => {
    const apiId = ofType('AWS::ApiGatewayV2::Api').find(([id]) => id.startsWith(route.api === 'device' ? 'DeviceApi' : 'ManagementApi'))![0];
    const matching = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`);
    expect(matching.map(([, r]) => r.Properties.ApiId)).toEqual([{ Ref: apiId }]);
  });

  it('runs every function on arm64 with Node.js 24', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('tells every function its table', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.JOBS_TABLE_NAME).toBeDefined();
    }
  });

  it.each(ROUTES.map((r) => [r.operation, r] as const))('grants %s only its own DynamoDB actions', (_op, route) => {
    const fnId = functionIdOf(route.operation);
    const roleRef = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...route.tableActions].sort());
  });

  it('never lets a device route put or batch-write items', () => {
    for (const route of ROUTES.filter((r) => r.api === 'device')) {
      expect(route.tableActions).not.toContain('dynamodb:PutItem');
      expect(route.tableActions).not.toContain('dynamodb:BatchWriteItem');
    }
  });

  it('keeps function construct IDs equal to operation names (a contract: renaming replaces functions)', () => {
    for (const route of ROUTES) expect(() => functionIdOf(route.operation)).not.toThrow();
  });
});

describe('JobsApiStack grants', () => {
  it('scopes table grants to the jobs table and its indexes, nothing wider', () => {
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>) {
        const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
        const text = JSON.stringify(statement.Resource);
        expect(text).not.toContain('"*"');
        expect(text).toContain('JobsTable');
        expect(text).toContain('/index/*');
      }
    }
  });
});
