import type { Template } from 'aws-cdk-lib/assertions';

export type Resource = { Type: string; Properties: Record<string, any> };
export type Statement = { Action: string | string[]; Resource: unknown; Effect?: string };

/** Look-ups over a synthesized template's resources, for assertions on one property at a time. */
export function templateResources(template: Template) {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  /** The policy statements attached to a function's role. */
  const statementsOf = (functionId: string): Statement[] => {
    const roleRef = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef),
    );
    return policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const actionsOf = (statements: Statement[]) =>
    statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  /** The logical ID of the one function whose construct path starts with `prefix`. */
  const functionStartingWith = (prefix: string): string => {
    const ids = ofType('AWS::Lambda::Function')
      .map(([id]) => id)
      .filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) throw new Error(`expected one function under ${prefix}, found ${ids.length}`);
    return ids[0]!;
  };
  return { resources, ofType, statementsOf, actionsOf, functionStartingWith };
}
