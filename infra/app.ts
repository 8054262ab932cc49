import { App, Duration } from 'aws-cdk-lib';
import { JobsApiStack } from './jobs-api-stack';
import { JobsDataStack } from './jobs-data-stack';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const data = new JobsDataStack(app, 'IotJobsData', { env });
// `cdk deploy -c sweepIntervalMinutes=5` runs the timeout sweeper every 5 minutes instead of every minute.
const sweepIntervalMinutes = app.node.tryGetContext('sweepIntervalMinutes') as string | number | undefined;
new JobsApiStack(app, 'IotJobsApi', {
  env,
  table: data.table,
  ...(sweepIntervalMinutes !== undefined ? { sweepInterval: Duration.minutes(Number(sweepIntervalMinutes)) } : {}),
});
