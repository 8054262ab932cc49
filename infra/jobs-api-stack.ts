import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ROUTES, type ApiName } from '../lambdas/routes';

export interface JobsApiStackProps extends StackProps {
  table: ITable;
  logRetention?: RetentionDays;
}

const handlersDir = fileURLToPath(new URL('../lambdas/handlers/', import.meta.url));

/** The stateless half: two HTTP APIs (device, management) and one function per route. */
export class JobsApiStack extends Stack {
  readonly apis: Record<ApiName, HttpApi>;

  constructor(scope: Construct, id: string, props: JobsApiStackProps) {
    super(scope, id, props);
    this.apis = {
      // The device and management APIs share paths (/things/..., /jobs/...) in AWS too, on different hosts.
      device: new HttpApi(this, 'DeviceApi', { description: 'IoT Jobs device API (iot-jobs-data)' }),
      management: new HttpApi(this, 'ManagementApi', { description: 'IoT Jobs management API (iot), jobs operations' }),
    };

    for (const route of ROUTES) {
      const fn = new NodejsFunction(this, route.operation, {
        entry: `${handlersDir}${route.handlerFile}.ts`,
        handler: 'handler',
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(15),
        environment: {
          JOBS_TABLE_NAME: props.table.tableName,
          JOBS_ACCOUNT_ID: this.account,
          JOBS_PARTITION: this.partition,
          NODE_OPTIONS: '--enable-source-maps',
        },
        logGroup: new LogGroup(this, `${route.operation}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH }),
        bundling: {
          format: OutputFormat.ESM,
          target: 'node24',
          minify: true,
          sourceMap: true,
          mainFields: ['module', 'main'],
          // Bundle the SDK too: the versions tested are the versions run.
          externalModules: [],
          banner: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
        },
      });
      props.table.grant(fn, ...route.tableActions);
      this.apis[route.api].addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.operation}Integration`, fn),
      });
    }

    new CfnOutput(this, 'DeviceApiUrl', { value: this.apis.device.apiEndpoint });
    new CfnOutput(this, 'ManagementApiUrl', { value: this.apis.management.apiEndpoint });
  }
}
