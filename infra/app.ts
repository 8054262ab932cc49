import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { deviceAccessFromContext, sweepIntervalFromContext } from './app-context';
import { JobsApiStack } from './jobs-api-stack';
import { JobsDataStack } from './jobs-data-stack';

const app = new App();
// AWS Solutions checks on every synth: a new finding fails `cdk synth` (and the infra tests) until it is fixed or answered.
Aspects.of(app).add(new AwsSolutionsChecks());
const read = (name: string) => app.node.tryGetContext(name);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const data = new JobsDataStack(app, 'IotJobsData', { env });
// `cdk deploy -c sweepIntervalMinutes=5` runs the timeout sweeper every 5 minutes instead of every minute.
const sweepInterval = sweepIntervalFromContext(read);
new JobsApiStack(app, 'IotJobsApi', {
  env,
  table: data.table,
  deviceAccess: deviceAccessFromContext(read),
  ...(sweepInterval ? { sweepInterval } : {}),
});
