import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TIMEOUT_SWEEPER } from '../../lambdas/api/routes';
import { handlerFunction } from './handler-function';

export interface TimeoutSweeperProps {
  table: ITable;
  /**
   * How often the sweep runs. Readers and writers see timeouts exactly regardless; this bounds how long an unobserved
   * one stays unwritten.
   */
  interval: Duration;
  /**
   * Set aside one concurrent execution for the sweeper (it never needs more), so a flood of device requests cannot
   * starve it.
   */
  reserveConcurrency?: boolean;
  logRetention?: RetentionDays;
}

/** The sweeper function and the EventBridge schedule that runs it. */
export class TimeoutSweeper extends Construct {
  readonly function: NodejsFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: TimeoutSweeperProps) {
    super(scope, id);
    const intervalSeconds = props.interval.toSeconds();
    if (intervalSeconds < 60 || intervalSeconds % 60 !== 0)
      throw new Error('sweep interval: EventBridge schedules run in whole minutes, at least 1');
    this.function = handlerFunction(this, TIMEOUT_SWEEPER.id, {
      handlerFile: TIMEOUT_SWEEPER.handlerFile,
      table: props.table,
      tableActions: TIMEOUT_SWEEPER.tableActions,
      queryIndex: TIMEOUT_SWEEPER.queryIndex,
      // Up to one interval per run (capped at Lambda's 15 minutes); runs that overlap are safe, just wasteful.
      timeout: Duration.seconds(Math.min(900, intervalSeconds)),
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrency: 1 }),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    // A failed run is not retried: the next scheduled run does the same work.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: props.interval });
    this.rule = new Rule(this, 'Schedule', {
      description: 'Writes TIMED_OUT for job executions past their deadline',
      schedule: Schedule.rate(props.interval),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
