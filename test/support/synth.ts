import { App, Aspects, type Duration } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';
import type { DeviceAccess } from '../../infra/device-access';
import { JobsApiStack, type JobsApiStackProps } from '../../infra/jobs-api-stack';
import { JobsDataStack } from '../../infra/jobs-data-stack';

/** Both stacks as `cdk synth` would make them, without bundling (infra tests assert templates, not code). */
/** The production shape: devices through mutual TLS on a custom domain. */
export const MTLS_ACCESS = {
  mode: 'mtls',
  domainName: 'devices.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  truststoreUri: 's3://example-truststore/device-ca.pem',
} as const satisfies DeviceAccess;

export function synthStacks(
  options: { bundle?: boolean; sweepInterval?: Duration; deviceAccess?: DeviceAccess; throttling?: JobsApiStackProps['throttling']; nag?: boolean } = {},
) {
  const app = new App({
    ...(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } }),
    builtinCloudFormationValidation: false,
  });
  const env = { account: '123456789012', region: 'us-east-1' };
  const data = new JobsDataStack(app, 'IotJobsData', { env });
  const api = new JobsApiStack(app, 'IotJobsApi', {
    env,
    table: data.table,
    deviceAccess: options.deviceAccess ?? MTLS_ACCESS,
    ...(options.sweepInterval ? { sweepInterval: options.sweepInterval } : {}),
    ...(options.throttling ? { throttling: options.throttling } : {}),
  });
  // cdk-nag's AwsSolutions rules, as `cdk synth` runs them (infra/app.ts adds the same aspect).
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks());
  return { app, data, api, dataTemplate: Template.fromStack(data), apiTemplate: Template.fromStack(api) };
}
