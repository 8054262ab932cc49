import { CfnOutput, Duration, Fn, type NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { NestedRouteStack } from '../lambdas/api/route-definition';
import { type ApiName, UNSUPPORTED_OPERATION } from '../lambdas/api/routes';
import { ENVIRONMENT } from '../lambdas/environment';
import { type DeviceAccess, deviceApiAccess } from './constructs/device-access';
import type { DocumentAccess } from './constructs/document-grants';
import { handlerFunction } from './constructs/handler-function';
import { JobCountsAggregator } from './constructs/job-counts-aggregator';
import { JobEventBus } from './constructs/job-event-bus';
import { JobWorker } from './constructs/job-worker';
import { MembershipReactor } from './constructs/membership-reactor';
import { ServiceMonitoring } from './constructs/service-monitoring';
import { TimeoutSweeper } from './constructs/timeout-sweeper';
import { suppressAnsweredFindings } from './nag-suppressions';
import { deployRoutes } from './route-stacks';
import { type ApiThrottle, configureDefaultStage, DEFAULT_THROTTLES } from './stage-settings';

export interface JobsApiStackProps extends StackProps, DocumentAccess {
  table: ITable;
  /** Mutual TLS on a custom domain (production), or open (a throwaway sandbox); no default, on purpose. */
  deviceAccess: DeviceAccess;
  /** Stage-level rate and burst limits; DEFAULT_THROTTLES when omitted. */
  throttling?: Partial<Record<'device' | 'management', ApiThrottle>>;
  logRetention?: RetentionDays;
  /** How often the timeout sweeper runs; whole minutes, default 1. */
  sweepInterval?: Duration;
  /**
   * Set concurrency aside for the timeout sweeper, the counts aggregator and the job worker
   * (default true), so that no flood of requests can starve them. An account
   * must keep 100 unreserved, so one with a smaller concurrency quota (new
   * accounts may have 10) deploys with false.
   */
  reserveBackgroundConcurrency?: boolean;
  /**
   * Jobs may target things that are not registered (default false: AWS's rule, a target must be a registered thing).
   */
  implicitThings?: boolean;
  /** Which EventBridge bus job events go to: the stack's own (default) or the account's default bus. */
  eventBus?: 'default' | 'own';
  /** Days each execution history entry is kept (the table's TTL removes it after); 0 keeps no history. Default 30. */
  historyRetentionDays?: number;
}

/**
 * The stateless half: two HTTP APIs (device, management), one function per route (some route families in nested
 * stacks), the timeout sweeper, the counts aggregator and the job worker.
 */
export class JobsApiStack extends Stack {
  readonly apis: Record<ApiName, HttpApi>;
  /** The nested stacks that hold route families (a route's `deployedIn`), each under its own 500-resource limit. */
  readonly routeStacks: ReadonlyMap<NestedRouteStack, NestedStack>;
  readonly timeoutSweeper: TimeoutSweeper;
  readonly countsAggregator: JobCountsAggregator;
  /** Continuous jobs' reader of group membership changes, off the table's stream. */
  readonly membershipReactor: MembershipReactor;
  readonly jobWorker: JobWorker;
  /** Job and execution events, put by the counts aggregator. */
  readonly jobEvents: JobEventBus;
  /** Alarms on 5xx answers, throttled background functions and failing sweeps; the service's dashboard. */
  readonly monitoring: ServiceMonitoring;

  constructor(scope: Construct, id: string, props: JobsApiStackProps) {
    super(scope, id, props);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const deviceAccess = deviceApiAccess(this, props.deviceAccess);
    this.apis = {
      // The device and management APIs share paths (/things/..., /jobs/...) in AWS too, on different hosts.
      device: new HttpApi(this, 'DeviceApi', {
        description: 'IoT Jobs device API (iot-jobs-data)',
        ...deviceAccess.apiProps,
      }),
      // Operators sign with SigV4 for execute-api; see the README for the SDK and CLI setup.
      management: new HttpApi(this, 'ManagementApi', {
        description: 'IoT Jobs management API (iot), jobs operations',
        defaultAuthorizer: new HttpIamAuthorizer(),
      }),
    };
    configureDefaultStage(
      this,
      'DeviceApi',
      this.apis.device,
      props.throttling?.device ?? DEFAULT_THROTTLES.device,
      retention,
    );
    configureDefaultStage(
      this,
      'ManagementApi',
      this.apis.management,
      props.throttling?.management ?? DEFAULT_THROTTLES.management,
      retention,
    );

    const reserveConcurrency = props.reserveBackgroundConcurrency ?? true;
    this.jobWorker = new JobWorker(this, 'JobWorker', {
      table: props.table,
      reserveConcurrency,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    this.jobWorker.function.addEnvironment(ENVIRONMENT.implicitThings, String(props.implicitThings ?? false));

    // The device API's host (`https://` dropped), as DescribeEndpoint answers it for iot:Jobs.
    const deviceEndpoint = Fn.select(2, Fn.split('/', deviceAccess.url ?? this.apis.device.apiEndpoint));
    this.routeStacks = deployRoutes(this, {
      apis: this.apis,
      table: props.table,
      retention,
      jobWorker: this.jobWorker,
      deviceAuth: deviceAccess.handlerPolicy,
      deviceEndpoint,
      implicitThings: props.implicitThings ?? false,
      documentAccess: props,
    });

    // Below every route: an AWS operation this service lacks is refused by name, not with a bare 404.
    for (const api of ['device', 'management'] as const) {
      const fn = handlerFunction(this, UNSUPPORTED_OPERATION.ids[api], {
        handlerFile: UNSUPPORTED_OPERATION.handlerFile,
        table: props.table,
        tableActions: [],
        logRetention: retention,
        environment: { [ENVIRONMENT.apiName]: api },
      });
      this.apis[api].addRoutes({
        path: UNSUPPORTED_OPERATION.path,
        methods: [HttpMethod.ANY],
        integration: new HttpLambdaIntegration(`${UNSUPPORTED_OPERATION.ids[api]}Integration`, fn),
      });
    }

    this.countsAggregator = new JobCountsAggregator(this, 'JobCountsAggregator', {
      table: props.table,
      reserveConcurrency,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    // The aggregator writes the execution history too (it reads every execution change already).
    if (props.historyRetentionDays !== undefined)
      this.countsAggregator.function.addEnvironment(
        ENVIRONMENT.historyRetentionDays,
        String(props.historyRetentionDays),
      );
    // A job whose counts meet its abort criterion is canceled by the aggregator; the cancel's cascade goes to the
    // worker's queue.
    this.jobWorker.allowRequests(this.countsAggregator.function);
    // The aggregator reads every job and execution change already: it publishes their events too, so the stream keeps
    // two readers (AWS's advice).
    this.jobEvents = new JobEventBus(this, 'JobEvents', {
      publisher: this.countsAggregator.function,
      ...(props.eventBus ? { bus: props.eventBus } : {}),
    });

    this.timeoutSweeper = new TimeoutSweeper(this, 'TimeoutSweeper', {
      table: props.table,
      interval: props.sweepInterval ?? Duration.minutes(1),
      reserveConcurrency,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });

    this.membershipReactor = new MembershipReactor(this, 'MembershipReactor', {
      table: props.table,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });

    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      apis: this.apis,
      background: {
        'timeout sweeper': this.timeoutSweeper.function,
        'counts aggregator': this.countsAggregator.function,
        'job worker': this.jobWorker.function,
        'membership reactor': this.membershipReactor.function,
      },
      sweeper: this.timeoutSweeper.function,
      streamReaders: {
        'counts aggregator': this.countsAggregator.function,
        'membership reactor': this.membershipReactor.function,
      },
    });

    suppressAnsweredFindings(
      this.apis.device,
      props.deviceAccess,
      [this.countsAggregator.function.role!, this.membershipReactor.function.role!],
      this.countsAggregator.failedBatches,
      this.jobWorker.deadLetters,
      this.membershipReactor.failedChanges,
    );

    new CfnOutput(this, 'DeviceApiUrl', { value: deviceAccess.url ?? this.apis.device.apiEndpoint });
    new CfnOutput(this, 'ManagementApiUrl', { value: this.apis.management.apiEndpoint });
    // What `npm run recount` needs against this deployment.
    new CfnOutput(this, 'JobsTableName', { value: props.table.tableName });
    new CfnOutput(this, 'FailedCountBatchesQueueUrl', { value: this.countsAggregator.failedBatches.queueUrl });
    new CfnOutput(this, 'JobEventBusName', { value: this.jobEvents.bus.eventBusName });
    new CfnOutput(this, 'JobWorkDeadLettersQueueUrl', { value: this.jobWorker.deadLetters.queueUrl });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
