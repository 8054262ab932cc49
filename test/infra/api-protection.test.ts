import { describe, expect, it } from 'vitest';
import { deviceAccessFromContext } from '../../infra/app-context';
import { DEFAULT_THROTTLES } from '../../infra/stage-settings';
import { functionIdOf, ROUTES } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { MTLS_ACCESS, synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { ofType, resources } = templateResources(apiTemplate);
const apiId = (name: 'DeviceApi' | 'ManagementApi') =>
  ofType('AWS::ApiGatewayV2::Api').find(([id]) => id.startsWith(name))![0];
const routesOf = (name: 'DeviceApi' | 'ManagementApi') =>
  ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.ApiId.Ref === apiId(name));
const stageOf = (name: 'DeviceApi' | 'ManagementApi') =>
  ofType('AWS::ApiGatewayV2::Stage').find(([, s]) => s.Properties.ApiId.Ref === apiId(name))![1].Properties;
const envOf = (constructId: string) =>
  ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(constructId) && id.length === constructId.length + 8)![1]
    .Properties.Environment.Variables;

describe('device API behind mutual TLS', () => {
  it('has a custom domain whose truststore is the configured S3 object', () => {
    const [, domain] = ofType('AWS::ApiGatewayV2::DomainName')[0]!;
    expect(domain.Properties.DomainName).toBe(MTLS_ACCESS.domainName);
    expect(domain.Properties.MutualTlsAuthentication).toEqual({ TruststoreUri: MTLS_ACCESS.truststoreUri });
  });

  it('maps that domain to the device API, and only to it', () => {
    const mappings = ofType('AWS::ApiGatewayV2::ApiMapping');
    expect(mappings.map(([, m]) => m.Properties.ApiId)).toEqual([{ Ref: apiId('DeviceApi') }]);
  });

  it('switches off the default execute-api endpoint, so nothing reaches a handler without a client certificate', () => {
    expect(resources[apiId('DeviceApi')]!.Properties.DisableExecuteApiEndpoint).toBe(true);
  });

  it('tells every device handler to admit a request only for a thing its certificate is attached to', () => {
    for (const route of ROUTES.filter((r) => r.api === 'device'))
      expect(envOf(functionIdOf(route))[ENVIRONMENT.deviceAuth]).toBe('principal');
  });

  it('publishes the custom domain as the device endpoint', () => {
    expect(apiTemplate.toJSON().Outputs.DeviceApiUrl.Value).toBe(`https://${MTLS_ACCESS.domainName}`);
  });
});

describe('management API behind IAM', () => {
  it('authorizes every management route with AWS_IAM, its catch-all too', () => {
    const routes = routesOf('ManagementApi');
    expect(routes).toHaveLength(ROUTES.filter((r) => r.api === 'management').length + 1);
    for (const [, route] of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('leaves device routes to mutual TLS (no IAM: devices do not sign for execute-api)', () => {
    for (const [, route] of routesOf('DeviceApi')) expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
  });
});

describe('stages', () => {
  it.each([
    ['DeviceApi', DEFAULT_THROTTLES.device],
    ['ManagementApi', DEFAULT_THROTTLES.management],
  ] as const)('throttle %s at its default rate and burst', (name, throttle) => {
    expect(stageOf(name).DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    });
  });

  it('take throttles from the stack props', () => {
    const { apiTemplate: custom } = synthStacks({ throttling: { device: { rateLimit: 7, burstLimit: 9 } } });
    const stages = templateResources(custom)
      .ofType('AWS::ApiGatewayV2::Stage')
      .map(([, s]) => s.Properties.DefaultRouteSettings);
    expect(stages).toContainEqual({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 });
  });

  it.each(['DeviceApi', 'ManagementApi'] as const)('log every %s request as JSON with its request ID', (name) => {
    expect(JSON.parse(stageOf(name).AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });
});

describe('function roles', () => {
  it('carry no managed policy: each function may write only its own log group', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    const logStatements = ofType('AWS::IAM::Policy')
      .flatMap(
        ([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
      )
      .filter((st) => JSON.stringify(st.Action).includes('logs:'));
    for (const statement of logStatements) expect(JSON.stringify(statement.Resource)).toContain('Logs');
  });
});

describe('an open sandbox', () => {
  const open = templateResources(synthStacks({ deviceAccess: { mode: 'open' } }).apiTemplate);

  it('has no custom domain and keeps the default endpoint', () => {
    expect(open.ofType('AWS::ApiGatewayV2::DomainName')).toEqual([]);
    const device = open.ofType('AWS::ApiGatewayV2::Api').find(([id]) => id.startsWith('DeviceApi'))![1];
    expect(device.Properties.DisableExecuteApiEndpoint).toBeUndefined();
  });

  it('says so to its handlers', () => {
    const fn = open.ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('GetPendingJobExecutions'))![1];
    expect(fn.Properties.Environment.Variables[ENVIRONMENT.deviceAuth]).toBe('open');
  });
});

describe('deviceAccessFromContext', () => {
  const reader = (context: Record<string, string>) => (name: string) => context[name];

  it('fails closed: without mutual-TLS settings synthesis stops and says what to pass', () => {
    expect(() => deviceAccessFromContext(reader({}))).toThrow(/deviceDomainName.*deviceAccess=open/);
  });

  it('builds mutual TLS from the settings', () => {
    const context = {
      deviceDomainName: 'd.example.com',
      deviceCertificateArn: 'arn:cert',
      deviceTruststoreUri: 's3://b/k.pem',
      deviceTruststoreVersion: 'v2',
    };
    expect(deviceAccessFromContext(reader(context))).toEqual({
      mode: 'mtls',
      domainName: 'd.example.com',
      certificateArn: 'arn:cert',
      truststoreUri: 's3://b/k.pem',
      truststoreVersion: 'v2',
      identity: 'attached-principal',
    });
    expect(deviceAccessFromContext(reader({ ...context, deviceIdentity: 'subject-cn' }))).toMatchObject({
      identity: 'subject-cn',
    });
    expect(() => deviceAccessFromContext(reader({ ...context, deviceIdentity: 'serial' }))).toThrow(
      /attached-principal or subject-cn/,
    );
  });

  it("tells the device handlers to take the certificate's subject CN for the thing when asked", () => {
    const table = templateResources(
      synthStacks({ deviceAccess: { ...MTLS_ACCESS, identity: 'subject-cn' } }).apiTemplate,
    );
    const fn = table.ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('GetPendingJobExecutions'))![1];
    expect(fn.Properties.Environment.Variables[ENVIRONMENT.deviceAuth]).toBe('subject-cn');
  });

  it('opens only when asked in so many words', () => {
    expect(deviceAccessFromContext(reader({ deviceAccess: 'open' }))).toEqual({ mode: 'open' });
    expect(() => deviceAccessFromContext(reader({ deviceAccess: 'none' }))).toThrow(/mtls or open/);
  });
});
