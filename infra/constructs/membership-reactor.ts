import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MEMBERSHIP_REACTOR } from '../../lambdas/api/routes';
import { GROUP_SORT_KEY, MEMBERSHIP_SORT_PREFIX, THING_SORT_KEY } from '../../lambdas/store/table/keys';

/** A dynamic group's statuses while its build walks the fleet (lambdas/jobs/dynamic/dynamic-group.ts). */
const BUILDS_UNDER_WAY = ['BUILDING', 'REBUILDING'];

import { handlerFunction } from './handler-function';
import { readTableStream } from './stream-reader';

export interface MembershipReactorProps {
  table: ITable;
  logRetention?: RetentionDays;
}

/**
 * The function that gives continuous jobs their group membership changes,
 * from the table's stream (its second reader, beside the counts aggregator:
 * the most AWS advises per stream). Only membership records invoke it.
 */
export class MembershipReactor extends Construct {
  readonly function: NodejsFunction;
  /** Lambda's on-failure destination: ranges of the stream whose membership changes were never applied. */
  readonly failedChanges: Queue;
  readonly failedChangesAlarm: Alarm;
  /** Continuous jobs take on joiners more than a minute late. */
  readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MembershipReactorProps) {
    super(scope, id);
    this.function = handlerFunction(this, MEMBERSHIP_REACTOR.id, {
      handlerFile: MEMBERSHIP_REACTOR.handlerFile,
      table: props.table,
      tableActions: MEMBERSHIP_REACTOR.tableActions,
      queryIndex: MEMBERSHIP_REACTOR.queryIndex,
      timeout: Duration.seconds(60),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    const reading = readTableStream(this, this.function, props.table, {
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      // Each thing is reconciled with its memberships as they are, so a split batch, or a record met again, does
      // nothing twice.
      failedBatches: MEMBERSHIP_REACTOR.failedBatches,
      // Membership items (THING#<thing> / TREE#<root group>), things (a dynamic group's upkeep) and dynamic groups
      // whose build is under way: every other write of the table (executions, jobs, counts) leaves this function asleep.
      filters: [
        FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: FilterRule.beginsWith(MEMBERSHIP_SORT_PREFIX) } } } }),
        FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: FilterRule.isEqual(THING_SORT_KEY) } } } }),
        FilterCriteria.filter({
          dynamodb: {
            Keys: { sk: { S: FilterRule.isEqual(GROUP_SORT_KEY) } },
            NewImage: { dynamic: { M: { status: { S: FilterRule.or(...BUILDS_UNDER_WAY) } } } },
          },
        }),
      ],
      ids: { queue: 'FailedChanges', queueAlarm: 'FailedChangesAlarm', iteratorAgeAlarm: 'IteratorAgeAlarm' },
      queueAlarmDescription:
        'Group membership changes were never applied to continuous jobs: the things in the stream ranges of the queued messages may lack, or keep, an execution.',
      iteratorAgeAlarmDescription:
        'The membership reactor is more than a minute behind the table stream: things joining target groups wait for their continuous jobs.',
    });
    this.failedChanges = reading.queue;
    this.failedChangesAlarm = reading.queueAlarm;
    this.iteratorAgeAlarm = reading.iteratorAgeAlarm;
  }
}
