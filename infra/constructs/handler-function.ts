import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { handlerModulePath, type TableAction } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';

/**
 * A route function's time limit: well inside API Gateway's 30 s, so a request
 * that runs long ends in the function (and its log) before the gateway gives
 * up on it, never as work still running after the client was told it failed.
 * The longest routes, CreateJob, CancelJob and DeleteJob, do at most 500
 * things' work themselves (a few seconds) and queue the rest.
 */
export const ROUTE_TIMEOUT = Duration.seconds(15);

export interface HandlerFunctionProps {
  /** Module under lambdas/api/handlers exporting `handler`. */
  handlerFile: string;
  table: ITable;
  tableActions: readonly TableAction[];
  /** The index its Query calls may read (the indexes, for the job worker); none if it queries no index. */
  queryIndex?: string | readonly string[];
  timeout?: Duration;
  memorySize?: number;
  /** Concurrency set aside for this function alone, so that no other function of the account can take it. */
  reservedConcurrency?: number;
  logRetention?: RetentionDays;
  /** Settings beyond the table's. */
  environment?: Record<string, string>;
}

/**
 * A handler module as a Lambda function: bundled by esbuild into one ES
 * module, told its table, and granted exactly its actions on that table.
 */
export function handlerFunction(scope: Construct, id: string, props: HandlerFunctionProps): NodejsFunction {
  const stack = Stack.of(scope);
  const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
  // Its own role, allowed to write its own log group: no managed policy with logs:* on every group.
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const fn = new NodejsFunction(scope, id, {
    role,
    entry: handlerModulePath(props.handlerFile),
    handler: 'handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    // X-Ray: each invocation's segment (cold start, handler time), so a slow request can be followed.
    tracing: Tracing.ACTIVE,
    memorySize: props.memorySize ?? 512,
    timeout: props.timeout ?? ROUTE_TIMEOUT,
    ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
    environment: {
      [ENVIRONMENT.tableName]: props.table.tableName,
      [ENVIRONMENT.accountId]: stack.account,
      [ENVIRONMENT.partition]: stack.partition,
      NODE_OPTIONS: '--enable-source-maps',
      ...props.environment,
    },
    logGroup,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node24',
      minify: true,
      sourceMap: true,
      mainFields: ['module', 'main'],
      // Bundle the SDK too: the versions tested are the versions run.
      externalModules: [],
      banner:
        "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
    },
  });
  // A function that touches no table (the catch-all route) gets no table statement at all.
  if (props.tableActions.length) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...props.tableActions],
        // Named index only: a function that may query the pending index cannot read the deadline index, and the
        // reverse.
        resources: [
          props.table.tableArn,
          ...indexesOf(props.queryIndex).map((index) => `${props.table.tableArn}/index/${index}`),
        ],
      }),
    );
  }
  // Active tracing adds X-Ray's two actions on "*" to this role; X-Ray names no resource in IAM for them.
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) name no resource in IAM; they are granted on "*" as X-Ray requires. Table access is granted on the table and named indexes only.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );
  return fn;
}

const indexesOf = (queryIndex: string | readonly string[] | undefined): readonly string[] =>
  queryIndex === undefined ? [] : typeof queryIndex === 'string' ? [queryIndex] : queryIndex;
