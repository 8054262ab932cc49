import { type App, Aspects, type Duration, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DeviceAccess } from './device-access';
import { JobsApiStack, type JobsApiStackProps } from './jobs-api-stack';
import { JobsDataStack } from './jobs-data-stack';

export interface JobsAppSettings {
  env?: Environment;
  deviceAccess: DeviceAccess;
  sweepInterval?: Duration;
  throttling?: JobsApiStackProps['throttling'];
  reserveBackgroundConcurrency?: boolean;
  implicitThings?: boolean;
  eventBus?: 'default' | 'own';
  historyRetentionDays?: number;
  /** AWS Solutions checks (cdk-nag) on synth: a new finding fails `cdk synth` until it is fixed or answered. */
  nag?: boolean;
}

/**
 * The service's two stacks on an app: the stateful one (the table) and the
 * stateless one (APIs, functions, schedules) that uses it. `cdk synth` and the
 * infra tests both build them here, so what is tested is what deploys. The
 * stack IDs are a contract with deployed stacks.
 */
export function addJobsStacks(app: App, settings: JobsAppSettings): { data: JobsDataStack; api: JobsApiStack } {
  if (settings.nag) Aspects.of(app).add(new AwsSolutionsChecks());
  const data = new JobsDataStack(app, 'IotJobsData', { env: settings.env });
  const api = new JobsApiStack(app, 'IotJobsApi', {
    env: settings.env,
    table: data.table,
    deviceAccess: settings.deviceAccess,
    ...(settings.sweepInterval ? { sweepInterval: settings.sweepInterval } : {}),
    ...(settings.throttling ? { throttling: settings.throttling } : {}),
    ...(settings.reserveBackgroundConcurrency !== undefined
      ? { reserveBackgroundConcurrency: settings.reserveBackgroundConcurrency }
      : {}),
    ...(settings.implicitThings !== undefined ? { implicitThings: settings.implicitThings } : {}),
    ...(settings.eventBus ? { eventBus: settings.eventBus } : {}),
    ...(settings.historyRetentionDays !== undefined ? { historyRetentionDays: settings.historyRetentionDays } : {}),
  });
  return { data, api };
}
