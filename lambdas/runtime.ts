import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from './domain/clock';
import { DEVICE_AUTH_POLICIES, type DeviceAuthPolicy } from './domain/device-authorization';
import { CertificateBindings } from './data/certificate-bindings';
import { DeviceJobs } from './domain/device-jobs';
import { ManagementJobs } from './domain/management-jobs';
import { sweepTimedOutExecutions, type SweepOptions, type SweepReport } from './domain/timeout-sweep';
import { createDocumentClient } from './data/dynamo-client';
import { CachedJobDocuments } from './data/job-document-cache';
import { JobAdminRepository } from './data/job-admin-repository';
import { JobCountsRepository } from './data/job-counts-repository';
import { readStreamBatch, type StreamRecordLike } from './data/stream-changes';
import { aggregateExecutionChanges } from './domain/job-counts';
import { JobsRepository } from './data/jobs-repository';

/** What the services need to run; in Lambda it comes from the environment the stack sets. */
export interface RuntimeConfig {
  tableName: string;
  dynamoEndpoint?: string;
  region: string;
  account: string;
  partition: string;
  clock: Clock;
  /** Whether device requests must come with a client certificate naming their thing. */
  deviceAuth?: DeviceAuthPolicy;
  /** Sees the DynamoDB client before first use (the benchmark counts its calls); Lambda sets none. */
  observeDynamoClient?: (client: DynamoDBDocumentClient) => void;
}

export interface Services {
  device: DeviceJobs;
  management: ManagementJobs;
  /** Applies one batch of the table's stream to the job counts. */
  aggregateCounts(records: readonly StreamRecordLike[]): Promise<void>;
  /** One sweep of expired timers, as of the services' clock now. */
  sweepTimers(options: Omit<SweepOptions, 'now'>): Promise<SweepReport>;
  /** Closes the DynamoDB connections (the local runner on stop; a Lambda container never does). */
  dispose(): void;
}

export function buildServices(config: RuntimeConfig): Services {
  const client = createDocumentClient({ endpoint: config.dynamoEndpoint, region: config.region });
  config.observeDynamoClient?.(client);
  const repository = new JobsRepository(client, config.tableName);
  const admin = new JobAdminRepository(client, config.tableName);
  const documents = new CachedJobDocuments((jobId) => repository.loadJobDocument(jobId));
  const counts = new JobCountsRepository(client, config.tableName);
  const arns = { partition: config.partition, region: config.region, account: config.account };
  return {
    device: new DeviceJobs(repository, documents, config.clock, config.deviceAuth ?? 'open', new CertificateBindings(client, config.tableName)),
    management: new ManagementJobs(admin, repository, documents, arns, config.clock, randomUUID),
    aggregateCounts: (records) => aggregateExecutionChanges(counts, readStreamBatch(records), config.clock),
    sweepTimers: (options) => sweepTimedOutExecutions(repository, { ...options, now: config.clock() }),
    dispose: () => client.destroy(),
  };
}

/** Where no AWS account names things (the local runner, or an environment that sets nothing): AWS's documentation placeholders. */
export const DEFAULT_ARN_CONTEXT = { partition: 'aws', region: 'us-east-1', account: '123456789012' } as const;

function configFromEnvironment(env: NodeJS.ProcessEnv): RuntimeConfig {
  if (!env.JOBS_TABLE_NAME) throw new Error('JOBS_TABLE_NAME is not set');
  return {
    tableName: env.JOBS_TABLE_NAME,
    ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    region: env.AWS_REGION ?? DEFAULT_ARN_CONTEXT.region,
    account: env.JOBS_ACCOUNT_ID ?? DEFAULT_ARN_CONTEXT.account,
    partition: env.JOBS_PARTITION ?? DEFAULT_ARN_CONTEXT.partition,
    clock: systemClock,
    // The stack sets `certificate` when devices come through mutual TLS; anything else is a configuration error, not `open`.
    deviceAuth: deviceAuthFrom(env.JOBS_DEVICE_AUTH),
  };
}

function deviceAuthFrom(value: string | undefined): DeviceAuthPolicy {
  if (value === undefined) return 'open';
  const policy = DEVICE_AUTH_POLICIES.find((p) => p === value);
  if (!policy) throw new Error(`JOBS_DEVICE_AUTH must be one of ${DEVICE_AUTH_POLICIES.join(', ')}, not ${value}`);
  return policy;
}

/** Built once per Lambda container, on first use. */
let fromEnvironment: Services | undefined;

/** The services a Lambda container's environment configures (the local runner binds handlers to its own instead). */
export function runtimeServices(): Services {
  fromEnvironment ??= buildServices(configFromEnvironment(process.env));
  return fromEnvironment;
}
