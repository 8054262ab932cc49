import { App } from 'aws-cdk-lib';
import { JobsApiStack } from './jobs-api-stack';
import { JobsDataStack } from './jobs-data-stack';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const data = new JobsDataStack(app, 'IotJobsData', { env });
new JobsApiStack(app, 'IotJobsApi', { env, table: data.table });
