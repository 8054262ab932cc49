import { randomUUID } from 'node:crypto';
import { configFromEnvironment, DEFAULT_ARN_CONTEXT, type RuntimeConfig } from './environment-config';
import { CaCertificates } from './jobs/certificates/ca-certificates';
import { Certificates } from './jobs/certificates/certificates';
import { IssuedCertificates } from './jobs/certificates/issuer';
import { ThingPrincipals } from './jobs/certificates/thing-principals';
import { aggregateExecutionChanges } from './jobs/counts/job-counts';
import { DeviceJobs } from './jobs/device/device-jobs';
import { DeliveredDocuments } from './jobs/documents/delivered-documents';
import type { ObjectReader } from './jobs/documents/ports';
import { describeEndpoint } from './jobs/endpoints/endpoints';
import type { JobEvent } from './jobs/events/job-events';
import { needsCurrentCounts, withCurrentCounts } from './jobs/events/job-item-events';
import { type SweepOptions, type SweepReport, sweepTimedOutExecutions } from './jobs/execution/timeout-sweep';
import { type MembershipReaction, reactToMembershipChanges } from './jobs/fleet/continuous-jobs';
import { ThingGroups } from './jobs/fleet/thing-groups';
import { ThingRegistry } from './jobs/fleet/thing-registry';
import { ThingTypes } from './jobs/fleet/types/thing-types';
import { JobCountsHistory } from './jobs/history/counts-history';
import type { HistoryEntry } from './jobs/history/execution-history';
import { ExecutionHistory } from './jobs/history/history';
import { FleetIndexing } from './jobs/index/fleet-index';
import { JobTemplates } from './jobs/management/job-templates';
import { ManagementJobs } from './jobs/management/management-jobs';
import { retryFailures } from './jobs/rollout/retry';
import type { ArnContext } from './jobs/shared/arns';
import { CachedJobDocuments } from './jobs/shared/cached-job-documents';
import { creationOrderedId } from './jobs/shared/creation-order';
import type { InProcessWorkQueue } from './jobs/work/in-process-work-queue';
import type { JobWork } from './jobs/work/job-work';
import { dynamicGroupServices } from './runtime-dynamic';
import { buildJobWork } from './runtime-job-work';
import { buildStores, type Stores } from './runtime-stores';
import type { S3SdkLoader } from './s3/load-s3-sdk';
import { buildS3Services } from './s3/s3-services';
import { readHistoryChanges } from './store/history/stream-history';
import { DynamoJobTemplateStore } from './store/job-templates';
import { DynamoRetryStore } from './store/retries';
import { readMembershipChanges, readRetries, readStreamBatch, type StreamRecordLike } from './store/stream-changes';
import { readJobEvents } from './store/stream-events';
import { createDocumentClient } from './store/table/dynamo-client';

export { DEFAULT_ARN_CONTEXT, type RuntimeConfig };
/**
 * The composition root: the one place that builds the stores and the rules on
 * top of them, for Lambda (from the environment), the local runner and the
 * tests alike.
 */

export interface Services {
  device: DeviceJobs;
  management: ManagementJobs;
  /** Job templates. */
  templates: JobTemplates;
  /** The thing registry. */
  registry: ThingRegistry;
  /** Static thing groups; dynamic ones (and their upkeep off the stream). */
  groups: ThingGroups;
  dynamicGroups: ReturnType<typeof dynamicGroupServices>['dynamicGroups'];
  /** Device certificates, the CA certificates that sign them, and which things they are attached to. */
  certificates: Certificates;
  caCertificates: CaCertificates;
  principals: ThingPrincipals;
  /** CreateKeysAndCertificate and CreateCertificateFromCsr (refused where nothing signs them). */
  issued: IssuedCertificates;
  /** Thing types. */
  thingTypes: ThingTypes;
  /** Fleet indexing: its configuration and SearchIndex. */
  indexing: FleetIndexing;
  /** Jobs' fan-outs and cascades, off the request path. */
  jobWork: JobWork;
  /** The queue job work goes to when it runs in this process (absent when it goes to SQS). */
  localWorkQueue?: InProcessWorkQueue;
  /** Applies one batch of the table's stream to the job counts. */
  aggregateCounts(records: readonly StreamRecordLike[]): Promise<void>;
  /** The job and execution events of one batch of the table's stream, in order (AWS's payloads). */
  jobEventsOf(records: readonly StreamRecordLike[]): Promise<JobEvent[]>;
  /** Where this deployment's resources are named. */
  arns: ArnContext;
  /** DescribeEndpoint: where this service answers for an endpoint type. */
  describeEndpoint(endpointType: string | undefined): { endpointAddress: string };
  /** Reads job documents from S3 (a job's or template's documentSource). */
  objects: ObjectReader;
  /** Every execution change, who made it, and when. */
  history: ExecutionHistory;
  /** Each job's counts over time, from the same stream batches as the counts. */
  countsHistory: JobCountsHistory;
  /** Writes the history entries of one batch of the table's stream (safe to give a batch again). */
  recordHistory(records: readonly StreamRecordLike[]): Promise<HistoryEntry[]>;
  /** Gives continuous jobs the group membership changes of one batch of the table's stream. */
  reactToMemberships(records: readonly StreamRecordLike[]): Promise<MembershipReaction[]>;
  /** One sweep of expired timers, as of the services' clock now. */
  sweepTimers(options: Omit<SweepOptions, 'now'>): Promise<SweepReport>;
  /** The stores the services run on (the local runner's CLIs and the tests reach items through them). */
  stores: Stores;
  /** Closes the DynamoDB connections (the local runner on stop; a Lambda container never does). */
  dispose(): void;
}

export function buildServices(config: RuntimeConfig): Services {
  const client = createDocumentClient({ endpoint: config.dynamoEndpoint, region: config.region });
  config.observeDynamoClient?.(client);
  const stores = buildStores(client, config);
  const history = new ExecutionHistory(stores.history, config.clock);
  const countsHistory = new JobCountsHistory(stores.countsHistory, (jobId) => stores.jobs.getJob(jobId));
  const { jobWork, localWorkQueue, sqsQueue } = buildJobWork(stores, config);
  const s3 = buildS3Services(config);
  const documents = new CachedJobDocuments((jobId) => stores.jobs.loadDocument(jobId));
  const arns = { partition: config.partition, region: config.region, account: config.account };
  const retries = new DynamoRetryStore(client, config.tableName);
  const templates = new JobTemplates(
    new DynamoJobTemplateStore(client, config.tableName),
    stores.jobs,
    arns,
    config.clock,
  );
  const management = new ManagementJobs(
    stores.jobs,
    stores.executions,
    documents,
    arns,
    config.clock,
    () => creationOrderedId(),
    {
      things: stores.things,
      groups: stores.thingGroups,
      implicitThings: config.implicitThings ?? false,
    },
    jobWork,
    templates,
  );
  const dynamic = dynamicGroupServices(stores, arns, config.clock);
  return {
    // Devices get each document with its presigned URLs made at delivery; the operator's views show it as stored.
    device: new DeviceJobs(
      stores.executions,
      new DeliveredDocuments(documents, s3.presigner, config.clock),
      config.clock,
      config.deviceAuth ?? 'open',
      stores.certificates,
    ),
    management,
    templates,
    registry: new ThingRegistry(stores.things, stores.executions, stores.thingGroups, arns, config.clock, randomUUID),
    ...certificateServices(stores, arns, config),
    groups: new ThingGroups(stores.thingGroups, stores.things, arns, config.clock, randomUUID),
    thingTypes: new ThingTypes(stores.thingTypes, arns, config.clock, randomUUID),
    indexing: new FleetIndexing(
      stores.indexing,
      stores.thingSearch,
      stores.groupSearch,
      stores.connectivity,
      config.connectivitySource,
    ),
    dynamicGroups: dynamic.dynamicGroups,
    jobWork,
    ...(localWorkQueue ? { localWorkQueue } : {}),
    aggregateCounts: async (records) => {
      // The counts (and an abort they trip) first, then the retries of failures with retries left: a job the batch
      // aborted retries nothing. Both are safe to run again on a batch given twice.
      await aggregateExecutionChanges(
        stores.counts,
        readStreamBatch(records),
        config.clock,
        (job, reason) => management.abortJob(job, reason),
        (jobs) => countsHistory.record(jobs),
      );
      await retryFailures(retries, readRetries(records), config.clock());
    },
    // After the batch is counted: a canceled job's event carries its counts as they stand then.
    jobEventsOf: (records) =>
      Promise.all(
        readJobEvents(records, { arns, clock: config.clock }).map(async (event) =>
          needsCurrentCounts(event) ? withCurrentCounts(event, await stores.jobs.getJob(event.payload.jobId)) : event,
        ),
      ),
    arns,
    objects: s3.objects,
    describeEndpoint: (endpointType) => describeEndpoint(config.endpoints?.() ?? {}, endpointType),
    history,
    countsHistory,
    recordHistory: (records) => history.record(readHistoryChanges(records)),
    reactToMemberships: async (records) =>
      (await dynamic.keepDynamicGroups(records)) ??
      reactToMembershipChanges(
        {
          jobsTargeting: (group) => stores.continuousJobs.jobsTargeting(group),
          getJob: (jobId) => stores.jobs.getJob(jobId),
          groupPathsOf: (thingName) => stores.thingGroups.groupPathsOf(thingName),
          groupPathOf: (groupName) => stores.thingGroups.pathOfGroup(groupName),
          getExecution: (thingName, jobId) => stores.executions.get(thingName, jobId),
          addExecution: (...args) => stores.continuousJobs.addExecution(...args),
          removeQueued: (...args) => stores.continuousJobs.removeQueued(...args),
        },
        readMembershipChanges(records),
        config.clock,
      ),
    sweepTimers: (options) => sweepTimedOutExecutions(stores.executions, { ...options, now: config.clock() }),
    stores,
    dispose: () => {
      client.destroy();
      sqsQueue?.destroy();
      s3.destroy();
    },
  };
}

/** Built once per Lambda container, on first use. */
let fromEnvironment: Services | undefined;

/**
 * The services a Lambda container's environment configures (the local runner binds handlers to its own instead); with
 * S3's SDK when the container's one route asks for it (`s3Sdk`, named in its route definition).
 */
export function runtimeServices(s3Sdk?: S3SdkLoader): Services {
  fromEnvironment ??= buildServices({ ...configFromEnvironment(process.env), ...(s3Sdk ? { s3Sdk } : {}) });
  return fromEnvironment;
}

function certificateServices(stores: Stores, arns: ArnContext, config: RuntimeConfig) {
  const certificates = new Certificates(stores.certificates, arns, config.clock);
  return {
    certificates,
    caCertificates: new CaCertificates(stores.certificates, arns, config.clock),
    principals: new ThingPrincipals(stores.certificates, certificates, arns, config.clock),
    issued: new IssuedCertificates(certificates, config.certificateIssuer),
  };
}
