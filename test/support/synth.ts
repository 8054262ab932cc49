import { readFileSync } from 'node:fs';
import { App, type Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DeviceAccess } from '../../infra/constructs/device-access';
import type { JobsApiStackProps } from '../../infra/jobs-api-stack';
import { addJobsStacks } from '../../infra/jobs-app';
import { foldedTemplate, stackTemplates } from './nested-templates';

/** cdk.json's context, the feature flags among it, as `cdk synth` hands it to infra/app.ts. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

/** Both stacks as `cdk synth` would make them, without bundling (infra tests assert templates, not code). */
/** The production shape: devices through mutual TLS on a custom domain. */
export const MTLS_ACCESS = {
  mode: 'mtls',
  domainName: 'devices.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  truststoreUri: 's3://example-truststore/device-ca.pem',
} as const satisfies DeviceAccess;

export function synthStacks(
  options: {
    bundle?: boolean;
    sweepInterval?: Duration;
    deviceAccess?: DeviceAccess;
    throttling?: JobsApiStackProps['throttling'];
    reserveBackgroundConcurrency?: boolean;
    implicitThings?: boolean;
    eventBus?: 'default' | 'own';
    historyRetentionDays?: number;
    documentBuckets?: readonly string[];
    presignRoleArns?: readonly string[];
    nag?: boolean;
  } = {},
) {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      // As under the CLI, which judges the errors (cdk-nag's findings among them) rather than the app throwing on them.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    builtinCloudFormationValidation: false,
  });
  // As infra/app.ts builds them (cdk-nag's AwsSolutions rules too, when asked).
  const { data, api } = addJobsStacks(app, {
    env: { account: '123456789012', region: 'us-east-1' },
    deviceAccess: options.deviceAccess ?? MTLS_ACCESS,
    ...(options.sweepInterval ? { sweepInterval: options.sweepInterval } : {}),
    ...(options.throttling ? { throttling: options.throttling } : {}),
    ...(options.reserveBackgroundConcurrency !== undefined
      ? { reserveBackgroundConcurrency: options.reserveBackgroundConcurrency }
      : {}),
    ...(options.implicitThings !== undefined ? { implicitThings: options.implicitThings } : {}),
    ...(options.eventBus ? { eventBus: options.eventBus } : {}),
    ...(options.historyRetentionDays !== undefined ? { historyRetentionDays: options.historyRetentionDays } : {}),
    ...(options.documentBuckets ? { documentBuckets: options.documentBuckets } : {}),
    ...(options.presignRoleArns ? { presignRoleArns: options.presignRoleArns } : {}),
    ...(options.nag ? { nag: true } : {}),
  });
  return {
    app,
    data,
    api,
    dataTemplate: Template.fromStack(data),
    /** IotJobsApi with its nested stacks' resources folded in: every route wherever it is deployed. */
    apiTemplate: foldedTemplate(api),
    /** IotJobsApi's own template and each nested stack's, as CloudFormation deploys (and limits) them. */
    apiStackTemplates: stackTemplates(api),
  };
}
