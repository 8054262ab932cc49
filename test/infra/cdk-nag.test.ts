import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthStacks } from '../support/synth';

/** cdk-nag's AwsSolutions pack over both stacks, as `cdk synth` runs it: nothing unanswered. */
const findings = (options: Parameters<typeof synthStacks>[0]) => {
  const { data, api } = synthStacks({ ...options, nag: true });
  return [data, api].flatMap((stack) =>
    [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((finding) => `${finding.id}: ${String(finding.entry.data).split(':')[0]}`),
  );
};

describe('cdk-nag AwsSolutions', () => {
  it('finds no unsuppressed error or warning in the production shape (mutual TLS)', () => {
    expect(findings({})).toEqual([]);
  });

  it('finds none in an explicitly open sandbox either (its suppression says why)', () => {
    expect(findings({ deviceAccess: { mode: 'open' } })).toEqual([]);
  });

  it('gives every suppression a reason', () => {
    const { apiTemplate } = synthStacks({ nag: true });
    const resources = Object.values(
      apiTemplate.toJSON().Resources as Record<
        string,
        { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }
      >,
    );
    const rules = resources.flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.reason.length).toBeGreaterThan(40);
  });
});
