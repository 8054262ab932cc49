import { App } from 'aws-cdk-lib';
import {
  deviceAccessFromContext,
  eventBusFromContext,
  historyRetentionDaysFromContext,
  implicitThingsFromContext,
  reserveBackgroundConcurrencyFromContext,
  sweepIntervalFromContext,
} from './app-context';
import { addJobsStacks } from './jobs-app';

const app = new App();
const read = (name: string) => app.node.tryGetContext(name);
// `cdk deploy -c sweepIntervalMinutes=5` runs the timeout sweeper every 5 minutes instead of every minute.
const sweepInterval = sweepIntervalFromContext(read);
const reserveBackgroundConcurrency = reserveBackgroundConcurrencyFromContext(read);
const implicitThings = implicitThingsFromContext(read);
const eventBus = eventBusFromContext(read);
const historyRetentionDays = historyRetentionDaysFromContext(read);
addJobsStacks(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  deviceAccess: deviceAccessFromContext(read),
  ...(sweepInterval ? { sweepInterval } : {}),
  ...(reserveBackgroundConcurrency !== undefined ? { reserveBackgroundConcurrency } : {}),
  ...(implicitThings !== undefined ? { implicitThings } : {}),
  ...(eventBus ? { eventBus } : {}),
  ...(historyRetentionDays !== undefined ? { historyRetentionDays } : {}),
  // AWS Solutions checks on every synth: a new finding fails `cdk synth` (and the infra tests) until it is fixed or answered.
  nag: true,
});
