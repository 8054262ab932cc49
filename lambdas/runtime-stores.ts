import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeConfig } from './environment-config';
import { DynamoCertificateStore } from './store/certificates/certificates';
import { DynamoContinuousJobStore } from './store/continuous/continuous-jobs';
import { DynamoJobCountsStore } from './store/counts';
import { DynamoDynamicGroupStore } from './store/dynamic/dynamic-groups';
import { DynamoExecutionStore } from './store/executions';
import { DynamoCountsHistoryStore } from './store/history/counts-points';
import { DynamoHistoryStore } from './store/history/entries';
import { DynamoJobStore } from './store/jobs';
import { DynamoGroupSearchStore } from './store/registry/group-search';
import { DynamoIndexingConfigurationStore } from './store/registry/indexing-configuration';
import { DynamoConnectivityStore } from './store/registry/thing-connectivity';
import { DynamoThingGroupStore } from './store/registry/thing-groups';
import { DynamoThingSearchStore } from './store/registry/thing-search';
import { DynamoThingTypeStore } from './store/registry/thing-types';
import { DynamoThingStore } from './store/registry/things';
import { DynamoJobWorkStore } from './store/work/job-work';

/** One store per item kind, all on one table. */
export interface Stores {
  executions: DynamoExecutionStore;
  jobs: DynamoJobStore;
  counts: DynamoJobCountsStore;
  certificates: DynamoCertificateStore;
  things: DynamoThingStore;
  thingGroups: DynamoThingGroupStore;
  dynamicGroups: DynamoDynamicGroupStore;
  thingTypes: DynamoThingTypeStore;
  jobWork: DynamoJobWorkStore;
  indexing: DynamoIndexingConfigurationStore;
  thingSearch: DynamoThingSearchStore;
  connectivity: DynamoConnectivityStore;
  groupSearch: DynamoGroupSearchStore;
  continuousJobs: DynamoContinuousJobStore;
  /** Absent when the deployment keeps no history. */
  history?: DynamoHistoryStore;
  countsHistory?: DynamoCountsHistoryStore;
}

/** The stores of the config's table, all on the one client. */
export function buildStores(client: DynamoDBDocumentClient, config: RuntimeConfig): Stores {
  const historyRetentionDays = config.historyRetentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS;
  return {
    executions: new DynamoExecutionStore(client, config.tableName),
    jobs: new DynamoJobStore(client, config.tableName),
    counts: new DynamoJobCountsStore(client, config.tableName, config.clock),
    certificates: new DynamoCertificateStore(client, config.tableName),
    things: new DynamoThingStore(client, config.tableName),
    thingGroups: new DynamoThingGroupStore(client, config.tableName),
    dynamicGroups: new DynamoDynamicGroupStore(client, config.tableName),
    thingTypes: new DynamoThingTypeStore(client, config.tableName),
    jobWork: new DynamoJobWorkStore(client, config.tableName),
    indexing: new DynamoIndexingConfigurationStore(client, config.tableName),
    thingSearch: new DynamoThingSearchStore(client, config.tableName),
    connectivity: new DynamoConnectivityStore(client, config.tableName),
    groupSearch: new DynamoGroupSearchStore(client, config.tableName),
    continuousJobs: new DynamoContinuousJobStore(client, config.tableName),
    ...(historyRetentionDays > 0
      ? {
          history: new DynamoHistoryStore(client, config.tableName, historyRetentionDays),
          countsHistory: new DynamoCountsHistoryStore(client, config.tableName, historyRetentionDays),
        }
      : {}),
  };
}

/** How long execution history is kept unless the deployment says otherwise. */
export const DEFAULT_HISTORY_RETENTION_DAYS = 30;
