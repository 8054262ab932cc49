import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENVIRONMENT } from './environment';
import type { CertificateIssuer } from './jobs/certificates/issuer';
import { DEVICE_AUTH_POLICIES, type DeviceAuthPolicy } from './jobs/device/device-authorization';
import type { EndpointAddresses } from './jobs/endpoints/endpoints';
import type { ConnectivitySource } from './jobs/index/indexing-configuration';
import type { Clock } from './jobs/shared/clock';
import { systemClock } from './jobs/shared/clock';
import type { JobWorkSettings } from './jobs/work/job-work';
import type { S3SdkLoader } from './s3/load-s3-sdk';

/** What the services need to run; in Lambda it comes from the environment the stack sets. */
export interface RuntimeConfig {
  tableName: string;
  dynamoEndpoint?: string;
  region: string;
  account: string;
  partition: string;
  clock: Clock;
  /** Whether device requests must come with a client certificate attached to their thing (or naming it). */
  deviceAuth?: DeviceAuthPolicy;
  /**
   * Jobs may target things that are not registered (this service's behaviour before the registry); AWS's, the default:
   * they may not.
   */
  implicitThings?: boolean;
  /** The SQS queue job work goes to (deployed); absent, it runs in this process (the local runner, tests). */
  workQueueUrl?: string;
  /** How job work holds and paces itself (tests shorten the lease). */
  workSettings?: Partial<JobWorkSettings>;
  /**
   * In-process queue only: the pause before a failed run is tried again, growing with each failure (default 500 ms).
   */
  workRetryDelayMs?: number;
  /** Days each execution history entry is kept; 0: no history is kept. Default DEFAULT_HISTORY_RETENTION_DAYS. */
  historyRetentionDays?: number;
  /** What signs CreateKeysAndCertificate's certificates (the local runner's development CA); deployed, none. */
  certificateIssuer?: CertificateIssuer;
  /** Where this service answers, for DescribeEndpoint: asked on each call (the local runner knows once it listens). */
  endpoints?: () => EndpointAddresses;
  /** An S3-compatible endpoint every bucket is read from and presigned for (the local runner's S3); deployed, AWS's. */
  s3Endpoint?: string;
  /** The local runner started without its S3 (--s3-port 0): a documentSource is refused, saying so, not read from AWS. */
  localWithoutS3?: boolean;
  /**
   * How the services reach S3's SDK (loadS3Sdk), given only where S3 is used: the routes that read a documentSource or
   * presign, and the local runner. Without it a read or a presign fails, and the function's bundle holds no S3 SDK.
   */
  s3Sdk?: S3SdkLoader;
  /**
   * Where connections are seen, for connectivity indexing: the local runner's MQTT broker; deployed, none (devices use
   * HTTP), and STATUS is refused.
   */
  connectivitySource?: ConnectivitySource;
  /** Sees the DynamoDB client before first use (the benchmark counts its calls); Lambda sets none. */
  observeDynamoClient?: (client: DynamoDBDocumentClient) => void;
}

/**
 * Where no AWS account names things (the local runner, or an environment that sets nothing): AWS's documentation
 * placeholders.
 */
export const DEFAULT_ARN_CONTEXT = { partition: 'aws', region: 'us-east-1', account: '123456789012' } as const;

/**
 * A Lambda function's RuntimeConfig, read from the environment the stack sets; a setting it cannot read stops the
 * function at its first call, saying which.
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv): RuntimeConfig {
  const tableName = env[ENVIRONMENT.tableName];
  if (!tableName) throw new Error(`${ENVIRONMENT.tableName} is not set`);
  const dynamoEndpoint = env[ENVIRONMENT.dynamoEndpoint];
  return {
    tableName,
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    region: env[ENVIRONMENT.region] ?? DEFAULT_ARN_CONTEXT.region,
    account: env[ENVIRONMENT.accountId] ?? DEFAULT_ARN_CONTEXT.account,
    partition: env[ENVIRONMENT.partition] ?? DEFAULT_ARN_CONTEXT.partition,
    clock: systemClock,
    // The stack sets `principal` (or `subject-cn`) when devices come through mutual TLS; anything else is a
    // configuration error, not `open`.
    deviceAuth: deviceAuthFrom(env[ENVIRONMENT.deviceAuth]),
    implicitThings: env[ENVIRONMENT.implicitThings] === 'true',
    ...(env[ENVIRONMENT.deviceEndpoint] ? { endpoints: endpointsFrom(env[ENVIRONMENT.deviceEndpoint]!) } : {}),
    ...(env[ENVIRONMENT.workQueueUrl] ? { workQueueUrl: env[ENVIRONMENT.workQueueUrl] } : {}),
    ...(env[ENVIRONMENT.historyRetentionDays] !== undefined
      ? { historyRetentionDays: retentionDaysFrom(env[ENVIRONMENT.historyRetentionDays]!) }
      : {}),
  };
}

/** A deployment runs no MQTT broker: its one address is the device API's. */
function endpointsFrom(deviceEndpoint: string): () => EndpointAddresses {
  const addresses = { jobs: deviceEndpoint };
  return () => addresses;
}

function retentionDaysFrom(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0)
    throw new Error(
      `${ENVIRONMENT.historyRetentionDays} must be a whole number of days (0 keeps no history), not ${value}`,
    );
  return days;
}

function deviceAuthFrom(value: string | undefined): DeviceAuthPolicy {
  if (value === undefined) return 'open';
  const policy = DEVICE_AUTH_POLICIES.find((p) => p === value);
  if (!policy)
    throw new Error(`${ENVIRONMENT.deviceAuth} must be one of ${DEVICE_AUTH_POLICIES.join(', ')}, not ${value}`);
  return policy;
}
