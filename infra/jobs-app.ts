import { Annotations, type App, Aspects, type Duration, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  deviceAccessFromContext,
  documentAccessFromContext,
  eventBusFromContext,
  historyRetentionDaysFromContext,
  implicitThingsFromContext,
  MissingDeviceSettings,
  reserveBackgroundConcurrencyFromContext,
  sweepIntervalFromContext,
} from './app-context';
import type { DeviceAccess } from './constructs/device-access';
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
  /** Document buckets and presigning roles (JobsApiStackProps). */
  documentBuckets?: readonly string[];
  presignRoleArns?: readonly string[];
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
  const data = addDataStack(app, settings);
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
    ...(settings.documentBuckets ? { documentBuckets: settings.documentBuckets } : {}),
    ...(settings.presignRoleArns ? { presignRoleArns: settings.presignRoleArns } : {}),
  });
  return { data, api };
}

function addDataStack(app: App, settings: Pick<JobsAppSettings, 'env' | 'nag'>): JobsDataStack {
  if (settings.nag) Aspects.of(app).add(new AwsSolutionsChecks());
  return new JobsDataStack(app, 'IotJobsData', { env: settings.env });
}

/**
 * The app as `cdk` runs it (infra/app.ts): settings from `-c`, cdk-nag on. A wrong setting throws ContextError.
 *
 * Without the device settings, which `cdk bootstrap` is run without, the app has only the stateful stack (it needs
 * none of them), carrying the missing-settings message as an error annotation. Bootstrap reads the environment from
 * the app's stacks and never looks at annotations; synth, diff and deploy refuse a selected stack with an error and
 * print the message. IotJobsApi is left out, never built half or empty: deploying an empty stack of that name would
 * delete the deployed one. Even with --ignore-errors the deployable is IotJobsData exactly as the full app makes it
 * (same table, same exports), so deploying it changes nothing that is deployed.
 */
export function addJobsAppFromContext(app: App, env: Environment): void {
  const read = (name: string) => app.node.tryGetContext(name);
  const sweepInterval = sweepIntervalFromContext(read);
  const reserveBackgroundConcurrency = reserveBackgroundConcurrencyFromContext(read);
  const implicitThings = implicitThingsFromContext(read);
  const eventBus = eventBusFromContext(read);
  const historyRetentionDays = historyRetentionDaysFromContext(read);
  const documents = documentAccessFromContext(read);
  let deviceAccess: DeviceAccess;
  try {
    deviceAccess = deviceAccessFromContext(read);
  } catch (error) {
    if (!(error instanceof MissingDeviceSettings)) throw error;
    Annotations.of(addDataStack(app, { env, nag: true })).addError(error.message);
    return;
  }
  addJobsStacks(app, {
    env,
    deviceAccess,
    ...(sweepInterval ? { sweepInterval } : {}),
    ...(reserveBackgroundConcurrency !== undefined ? { reserveBackgroundConcurrency } : {}),
    ...(implicitThings !== undefined ? { implicitThings } : {}),
    ...(eventBus ? { eventBus } : {}),
    ...(historyRetentionDays !== undefined ? { historyRetentionDays } : {}),
    ...documents,
    // AWS Solutions checks on every synth: a new finding fails `cdk synth` (and the infra tests) until it is fixed
    // or answered.
    nag: true,
  });
}
