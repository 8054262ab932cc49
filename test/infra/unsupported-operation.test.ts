import { describe, expect, it } from 'vitest';
import { UNSUPPORTED_OPERATION } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const t = templateResources(synthStacks().apiTemplate);
const functionOf = (api: 'device' | 'management') => t.functionStartingWith(`${UNSUPPORTED_OPERATION.ids[api]}`);
const apiIdOf = (name: string) => t.ofType('AWS::ApiGatewayV2::Api').find(([id]) => id.startsWith(name))![0];

describe("each API's catch-all route (infra)", () => {
  it.each([
    ['device', 'DeviceApi'],
    ['management', 'ManagementApi'],
  ] as const)('takes ANY /{proxy+} on the %s API', (api, apiName) => {
    const routes = t
      .ofType('AWS::ApiGatewayV2::Route')
      .filter(([, r]) => r.Properties.ApiId.Ref === apiIdOf(apiName) && r.Properties.RouteKey === 'ANY /{proxy+}');
    expect(routes).toHaveLength(1);
    expect(JSON.stringify(routes[0]![1].Properties.Target)).toContain(`${UNSUPPORTED_OPERATION.ids[api]}Integration`);
  });

  it.each(['device', 'management'] as const)(
    'tells the %s catch-all which API it answers for, and grants it nothing on the table',
    (api) => {
      const [, fn] = t.ofType('AWS::Lambda::Function').find(([id]) => id === functionOf(api))!;
      expect(fn.Properties.Environment.Variables[ENVIRONMENT.apiName]).toBe(api);
      expect(t.actionsOf(t.statementsOf(functionOf(api))).filter((action) => action.startsWith('dynamodb:'))).toEqual(
        [],
      );
    },
  );
});
