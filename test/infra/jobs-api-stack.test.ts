import { describe, expect, it } from 'vitest';
import { functionIdOf, ROUTES } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { JOBS_TABLE } from '../../lambdas/store/table/table-design';
import { synthStacks } from '../support/synth';
import { type Statement, templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { ofType, statementsOf, actionsOf } = templateResources(apiTemplate);
const logicalIdOf = (constructId: string) => {
  const match = ofType('AWS::Lambda::Function').find(
    ([id]) => id.startsWith(constructId) && /^[0-9A-F]{8}$/.test(id.slice(constructId.length)),
  );
  if (!match) throw new Error(`no function for ${constructId}`);
  return match[0];
};

describe('JobsApiStack', () => {
  it('has two HTTP APIs: device and management', () => {
    expect(ofType('AWS::ApiGatewayV2::Api').map(([, r]) => r.Properties.ProtocolType)).toEqual(['HTTP', 'HTTP']);
  });

  it("has one function per route, the timeout sweeper, the counts aggregator, the job worker, the membership reactor and each API's catch-all", () => {
    expect(new Set(ROUTES.map(functionIdOf)).size).toBe(ROUTES.length);
    expect(ofType('AWS::Lambda::Function')).toHaveLength(ROUTES.length + 4 + 2);
  });

  it.each(ROUTES.map((r) => [r.operation, r] as const))('routes %s on its own API', (_op, route) => {
    const apiId = ofType('AWS::ApiGatewayV2::Api').find(([id]) =>
      id.startsWith(route.api === 'device' ? 'DeviceApi' : 'ManagementApi'),
    )![0];
    const matching = ofType('AWS::ApiGatewayV2::Route').filter(
      ([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}` && r.Properties.ApiId.Ref === apiId,
    );
    expect(matching).toHaveLength(1);
    expect(JSON.stringify(matching[0]![1].Properties.Target)).toContain(`${functionIdOf(route)}Integration`);
  });

  it('runs every function on arm64 with Node.js 24', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('tells every function its table', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables[ENVIRONMENT.tableName]).toBeDefined();
    }
  });

  it("tells DescribeEndpoint's function, and it alone, the device API's custom domain as its iot:Jobs address", () => {
    const told = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Environment.Variables[ENVIRONMENT.deviceEndpoint] !== undefined,
    );
    expect(told.map(([id]) => id)).toEqual([logicalIdOf('DescribeEndpoint')]);
    expect(told[0]![1].Properties.Environment.Variables[ENVIRONMENT.deviceEndpoint]).toBe('devices.example.com');
  });

  it('tells every management function that jobs may target only registered things, unless the deployer says otherwise', () => {
    const managementIds = ROUTES.filter((r) => r.api === 'management').map((r) => logicalIdOf(functionIdOf(r)));
    const values = (template: typeof apiTemplate) =>
      managementIds.map(
        (id) =>
          (template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, string>)[
            ENVIRONMENT.implicitThings
          ],
      );
    expect(new Set(values(apiTemplate))).toEqual(new Set(['false']));
    expect(new Set(values(synthStacks({ implicitThings: true }).apiTemplate))).toEqual(new Set(['true']));
  });

  it.each(ROUTES.map((r) => [r.operation, r] as const))('grants %s only its own DynamoDB actions', (_op, route) => {
    const actions = actionsOf(statementsOf(logicalIdOf(functionIdOf(route))));
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...route.tableActions].sort());
  });

  it('never lets a device route put or batch-write items', () => {
    for (const route of ROUTES.filter((r) => r.api === 'device')) {
      expect(route.tableActions).not.toContain('dynamodb:PutItem');
      expect(route.tableActions).not.toContain('dynamodb:BatchWriteItem');
    }
  });

  it('keeps function construct IDs equal to operation names (a contract: renaming replaces functions)', () => {
    for (const route of ROUTES) expect(() => logicalIdOf(functionIdOf(route))).not.toThrow();
    expect(ROUTES.filter((r) => r.functionId).map((r) => [r.operation, r.functionId])).toEqual([
      ['DescribeJobExecution', 'ManagementDescribeJobExecution'],
    ]);
  });
});

describe('JobsApiStack grants', () => {
  const dynamoStatements = () =>
    ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      // ListStreams names no resource in IAM: it is granted on "*" or not at all (cdk.json's minimizePolicies puts
      // it in one statement with X-Ray's actions, also on "*"). Every other DynamoDB action names the table.
      .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams'));

  it('scopes table grants to the jobs table and indexes named one by one, nothing wider', () => {
    for (const statement of dynamoStatements()) {
      const text = JSON.stringify(statement.Resource);
      expect(text).not.toContain('"*"');
      expect(text).not.toContain('/index/*');
      expect(text).toContain('JobsTable');
    }
  });

  it.each(ROUTES.map((r) => [functionIdOf(r), r] as const))(
    'lets %s query only the index it declares',
    (_id, route) => {
      const indexes = [
        ...JSON.stringify(statementsOf(logicalIdOf(functionIdOf(route))).map((s) => s.Resource)).matchAll(
          /\/index\/(\w+)/g,
        ),
      ].map((m) => m[1]);
      expect(indexes).toEqual(route.queryIndex ? [route.queryIndex] : []);
      if (route.tableActions.includes('dynamodb:Query') && route.api === 'device')
        expect(route.queryIndex).toBe('pending');
    },
  );

  it('declares only indexes the table has', () => {
    const names = Object.values(JOBS_TABLE).flatMap((v) => (typeof v === 'object' && 'name' in v ? [v.name] : []));
    for (const route of ROUTES) if (route.queryIndex) expect(names).toContain(route.queryIndex);
  });
});
