import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { JOBS_TABLE } from '../lambdas/store/table/table-design';

export interface JobsDataStackProps extends StackProps {
  /** RETAIN by default: job history outlives a `cdk destroy`. Use DESTROY for throwaway sandboxes. */
  tableRemovalPolicy?: RemovalPolicy;
}

/** The stateful half: the jobs table, from the same definition the local runner uses. */
export class JobsDataStack extends Stack {
  readonly table: ITable;

  constructor(scope: Construct, id: string, props: JobsDataStackProps = {}) {
    super(scope, id, props);
    const table = new Table(this, 'JobsTable', {
      partitionKey: { name: JOBS_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: JOBS_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN,
      // Feeds the job counts aggregator (DescribeJob's jobProcessDetails).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      // The aggregator's batch markers expire on their own.
      timeToLiveAttribute: 'expiresAt',
    });
    table.addLocalSecondaryIndex({
      indexName: JOBS_TABLE.pendingIndex.name,
      sortKey: { name: JOBS_TABLE.pendingIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    table.addGlobalSecondaryIndex({
      indexName: JOBS_TABLE.deadlineIndex.name,
      partitionKey: { name: JOBS_TABLE.deadlineIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: JOBS_TABLE.deadlineIndex.sortKey, type: AttributeType.NUMBER },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    for (const index of [JOBS_TABLE.jobExecutionsIndex, JOBS_TABLE.jobListIndex]) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projected],
      });
    }
    table.addGlobalSecondaryIndex({
      indexName: JOBS_TABLE.registryIndex.name,
      partitionKey: { name: JOBS_TABLE.registryIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: JOBS_TABLE.registryIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // What IotJobsApi imports, exported whether or not IotJobsApi is in the app: without the device settings
    // `cdk synth` has this stack alone (see infra/app.ts), and deploying it even then must leave a deployed
    // IotJobsData as it is, exports included. The names are those the automatic cross-stack references give.
    this.exportValue(table.tableArn);
    this.exportValue(table.tableName);
    this.exportValue(table.tableStreamArn!);
    this.table = table;
  }
}
