import { Duration } from 'aws-cdk-lib';
import type { DeviceAccess } from './constructs/device-access';

/** `cdk -c name=value` settings, read by name. */
export type ContextReader = (name: string) => unknown;

/**
 * A `-c` setting that is wrong or missing: the deployer's to fix, so infra/app.ts prints the message alone, in
 * one line, and exits non-zero without a stack trace (a trace would only bury what to pass).
 */
export class ContextError extends Error {
  override name = 'ContextError';
}

/**
 * The mutual-TLS settings are missing. `cdk bootstrap` runs the app too, and needs none of them: the app then adds
 * only the stateful stack, marked with this message as an error, so that synth and deploy stop with it (see
 * addJobsAppFromContext).
 */
export class MissingDeviceSettings extends ContextError {
  override name = 'MissingDeviceSettings';
}

const text = (read: ContextReader, name: string): string | undefined => {
  const value = read(name);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};

/**
 * How the deployment lets devices in, from context. Fails closed: without the
 * mutual-TLS settings it throws MissingDeviceSettings, which says what to pass,
 * unless the deployer asks for an open sandbox in so many words.
 */
export function deviceAccessFromContext(read: ContextReader): DeviceAccess {
  const mode = text(read, 'deviceAccess') ?? 'mtls';
  if (mode === 'open') return { mode: 'open' };
  if (mode !== 'mtls') throw new ContextError(`-c deviceAccess must be mtls or open, not ${mode}`);
  const identity = text(read, 'deviceIdentity') ?? 'attached-principal';
  if (identity !== 'attached-principal' && identity !== 'subject-cn')
    throw new ContextError(`-c deviceIdentity must be attached-principal or subject-cn, not ${identity}`);
  const domainName = text(read, 'deviceDomainName');
  const certificateArn = text(read, 'deviceCertificateArn');
  const truststoreUri = text(read, 'deviceTruststoreUri');
  if (truststoreUri !== undefined && !/^s3:\/\/[^/]+\/.+$/.test(truststoreUri))
    throw new ContextError(`-c deviceTruststoreUri must look like s3://bucket/key, not ${truststoreUri}`);
  if (!domainName || !certificateArn || !truststoreUri) {
    throw new MissingDeviceSettings(
      'Devices authenticate with mutual TLS: pass -c deviceDomainName=... -c deviceCertificateArn=... -c deviceTruststoreUri=s3://bucket/ca.pem ' +
        '(see docs/deploy.md, "Device certificates"), or -c deviceAccess=open for a throwaway sandbox without device authentication.',
    );
  }
  const truststoreVersion = text(read, 'deviceTruststoreVersion');
  return {
    mode: 'mtls',
    domainName,
    certificateArn,
    truststoreUri,
    identity,
    ...(truststoreVersion ? { truststoreVersion } : {}),
  };
}

/**
 * `-c sweepIntervalMinutes=N`: the timeout sweeper runs every N minutes (default 1), a whole number, as EventBridge's.
 */
export function sweepIntervalFromContext(read: ContextReader): Duration | undefined {
  const minutes = text(read, 'sweepIntervalMinutes');
  if (minutes === undefined) return undefined;
  if (!/^\d+$/.test(minutes) || Number(minutes) < 1)
    throw new ContextError(`-c sweepIntervalMinutes must be a whole number of minutes, at least 1, not ${minutes}`);
  return Duration.minutes(Number(minutes));
}

/**
 * `-c reserveBackgroundConcurrency=false` for an account whose Lambda concurrency quota is too small to set any aside.
 */
export function reserveBackgroundConcurrencyFromContext(read: ContextReader): boolean | undefined {
  const value = text(read, 'reserveBackgroundConcurrency');
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw new ContextError(`-c reserveBackgroundConcurrency must be true or false, not ${value}`);
  return value === 'true';
}

/**
 * `-c implicitThings=true`: jobs may target things that are not registered (the behaviour before the registry). Default
 * false, as AWS.
 */
export function implicitThingsFromContext(read: ContextReader): boolean | undefined {
  const value = text(read, 'implicitThings');
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw new ContextError(`-c implicitThings must be true or false, not ${value}`);
  return value === 'true';
}

/**
 * `-c eventBus=default`: job events go to the account's default EventBridge bus; `own` (the default): to a bus the
 * stack creates.
 */
export function eventBusFromContext(read: ContextReader): 'default' | 'own' | undefined {
  const value = text(read, 'eventBus');
  if (value === undefined) return undefined;
  if (value !== 'default' && value !== 'own')
    throw new ContextError(`-c eventBus must be default or own, not ${value}`);
  return value;
}

/** `-c historyRetentionDays=N`: keep each execution history entry N days (default 30); 0 keeps no history. */
export function historyRetentionDaysFromContext(read: ContextReader): number | undefined {
  const value = text(read, 'historyRetentionDays');
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0)
    throw new ContextError(`-c historyRetentionDays must be a whole number of days (0 keeps no history), not ${value}`);
  return days;
}

/**
 * `-c documentBuckets=b1,b2`: the buckets a documentSource may name; `-c presignRoleArns=arn1,arn2`: the roles a
 * presignedUrlConfig may name (IAM's * allowed). Neither set: no S3 or STS grant at all.
 */
export function documentAccessFromContext(read: ContextReader): {
  documentBuckets?: string[];
  presignRoleArns?: string[];
} {
  const list = (name: string) =>
    (text(read, name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const documentBuckets = list('documentBuckets');
  for (const bucket of documentBuckets)
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new ContextError(`-c documentBuckets must be bucket names separated by commas, not ${bucket}`);
  const presignRoleArns = list('presignRoleArns');
  for (const role of presignRoleArns)
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/*-]+$/.test(role))
      throw new ContextError(`-c presignRoleArns must be IAM role ARNs separated by commas, not ${role}`);
  return {
    ...(documentBuckets.length ? { documentBuckets } : {}),
    ...(presignRoleArns.length ? { presignRoleArns } : {}),
  };
}
