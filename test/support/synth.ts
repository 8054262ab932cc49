import { App, type Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JobsApiStack } from '../../infra/jobs-api-stack';
import { JobsDataStack } from '../../infra/jobs-data-stack';

/** Both stacks as `cdk synth` would make them, without bundling (infra tests assert templates, not code). */
export function synthStacks(options: { bundle?: boolean; sweepInterval?: Duration } = {}) {
  const app = new App({
    ...(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } }),
    builtinCloudFormationValidation: false,
  });
  const env = { account: '123456789012', region: 'us-east-1' };
  const data = new JobsDataStack(app, 'IotJobsData', { env });
  const api = new JobsApiStack(app, 'IotJobsApi', { env, table: data.table, ...(options.sweepInterval ? { sweepInterval: options.sweepInterval } : {}) });
  return { app, data, api, dataTemplate: Template.fromStack(data), apiTemplate: Template.fromStack(api) };
}
