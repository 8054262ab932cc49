import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './domain/clock';
import { DeviceJobs } from './domain/device-jobs';
import { ManagementJobs } from './domain/management-jobs';
import { createDocumentClient } from './data/dynamo-client';
import { CachedJobDocuments } from './data/job-document-cache';
import { JobsRepository } from './data/jobs-repository';

/**
 * Builds the services a handler needs from the environment, once per Lambda
 * container (or once per local-runner process), on first use.
 */
export interface RuntimeConfig {
  tableName: string;
  dynamoEndpoint?: string;
  region: string;
  account: string;
  partition: string;
  clock: Clock;
}

function configFromEnvironment(): Partial<RuntimeConfig> {
  return {
    ...(process.env.JOBS_TABLE_NAME ? { tableName: process.env.JOBS_TABLE_NAME } : {}),
    ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    region: process.env.AWS_REGION ?? 'us-east-1',
    account: process.env.JOBS_ACCOUNT_ID ?? '123456789012',
    partition: process.env.JOBS_PARTITION ?? 'aws',
    clock: systemClock,
  } satisfies Partial<RuntimeConfig>;
}

interface Services {
  device: DeviceJobs;
  management: ManagementJobs;
}

let services: Services | undefined;
let override: Partial<RuntimeConfig> = {};

export function runtimeServices(): Services {
  if (!services) {
    const config = { ...configFromEnvironment(), ...override };
    if (!config.tableName) throw new Error('JOBS_TABLE_NAME is not set');
    services = build(config as RuntimeConfig);
  }
  return services;
}

/** For the local runner and tests: replace parts of the configuration (e.g. the clock) and rebuild. */
export function configureRuntime(config: Partial<RuntimeConfig>): void {
  override = config;
  services = undefined;
}

function build(config: RuntimeConfig): Services {
  const repository = new JobsRepository(createDocumentClient({ endpoint: config.dynamoEndpoint, region: config.region }), config.tableName);
  const documents = new CachedJobDocuments((jobId) => repository.loadJobDocument(jobId));
  return {
    device: new DeviceJobs(repository, documents, config.clock),
    management: new ManagementJobs(repository, { partition: config.partition, region: config.region, account: config.account }, config.clock, randomUUID),
  };
}
