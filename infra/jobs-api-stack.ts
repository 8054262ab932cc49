import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionIdOf, ROUTES, type ApiName } from '../lambdas/routes';
import { handlerFunction } from './handler-function';
import { JobCountsAggregator } from './job-counts-aggregator';
import { TimeoutSweeper } from './timeout-sweeper';

export interface JobsApiStackProps extends StackProps {
  table: ITable;
  logRetention?: RetentionDays;
  /** How often the timeout sweeper runs; whole minutes, default 1. */
  sweepInterval?: Duration;
}

/** The stateless half: two HTTP APIs (device, management), one function per route, the timeout sweeper and the counts aggregator. */
export class JobsApiStack extends Stack {
  readonly apis: Record<ApiName, HttpApi>;
  readonly timeoutSweeper: TimeoutSweeper;
  readonly countsAggregator: JobCountsAggregator;

  constructor(scope: Construct, id: string, props: JobsApiStackProps) {
    super(scope, id, props);
    this.apis = {
      // The device and management APIs share paths (/things/..., /jobs/...) in AWS too, on different hosts.
      device: new HttpApi(this, 'DeviceApi', { description: 'IoT Jobs device API (iot-jobs-data)' }),
      management: new HttpApi(this, 'ManagementApi', { description: 'IoT Jobs management API (iot), jobs operations' }),
    };

    for (const route of ROUTES) {
      const fn = handlerFunction(this, functionIdOf(route), {
        handlerFile: route.handlerFile,
        table: props.table,
        tableActions: route.tableActions,
        ...(route.queryIndex ? { queryIndex: route.queryIndex } : {}),
        ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      });
      this.apis[route.api].addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${functionIdOf(route)}Integration`, fn),
      });
    }

    this.countsAggregator = new JobCountsAggregator(this, 'JobCountsAggregator', {
      table: props.table,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });

    this.timeoutSweeper = new TimeoutSweeper(this, 'TimeoutSweeper', {
      table: props.table,
      interval: props.sweepInterval ?? Duration.minutes(1),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });

    new CfnOutput(this, 'DeviceApiUrl', { value: this.apis.device.apiEndpoint });
    new CfnOutput(this, 'ManagementApiUrl', { value: this.apis.management.apiEndpoint });
  }
}
