import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { addJobsStacks } from '../../infra/jobs-app';
import { CDK_JSON_CONTEXT, MTLS_ACCESS, synthStacks } from '../support/synth';

/**
 * cdk-nag's AwsSolutions pack over both stacks, as `cdk synth` runs it: nothing unanswered. A nested stack's findings
 * are its parent's (they are recorded on the parent's artifact, where the CLI reads them).
 */
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

  it("reports a finding inside a nested route stack as the API stack's, so the checks above cover nested stacks", () => {
    const app = new App({
      context: {
        ...CDK_JSON_CONTEXT,
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        'aws:cdk:bundling-stacks': [],
      },
      builtinCloudFormationValidation: false,
    });
    const { api } = addJobsStacks(app, { deviceAccess: MTLS_ACCESS, nag: true });
    expect(api.routeStacks.size).toBeGreaterThan(0);
    // A queue with no dead-letter queue and no TLS-only policy: two findings, planted in each nested stack.
    for (const nested of api.routeStacks.values()) new Queue(nested, 'Unanswered');
    const planted = Annotations.fromStack(api)
      .findError('*', Match.stringLikeRegexp('AwsSolutions-SQS[34]'))
      .map((finding) => finding.id);
    expect(planted.sort()).toEqual(
      [...api.routeStacks.keys()].flatMap((name) => Array(2).fill(`/IotJobsApi/${name}/Unanswered/Resource`)).sort(),
    );
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
