import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import type { UpdateInput } from '../../lambdas/jobs/device/inputs';
import type { JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import type { JobWorkSettings } from '../../lambdas/jobs/work/job-work';
import { buildServices, DEFAULT_ARN_CONTEXT, type Services } from '../../lambdas/runtime';
import { thingArn } from './arns';
import { manualClock } from './manual-clock';
import { createTestTable } from './test-table';

/**
 * The services as the runtime builds them, on a fresh table in DynamoDB Local, with a clock the test moves and every
 * DynamoDB call recorded.
 */
/**
 * Jobs may target unregistered things here (implicitThings), as the store tests' targets are; the registry's own tests
 * turn it off.
 */
export async function createServices(
  options: { implicitThings?: boolean; workSettings?: Partial<JobWorkSettings>; workRetryDelayMs?: number } = {},
) {
  const table = await createTestTable();
  const clock = manualClock();
  let client: DynamoDBDocumentClient | undefined;
  const observeDynamoClient = (observed: DynamoDBDocumentClient) => {
    table.observe(observed);
    client = observed;
  };
  const services = buildServices({
    tableName: table.tableName,
    dynamoEndpoint: table.endpoint,
    ...DEFAULT_ARN_CONTEXT,
    clock,
    observeDynamoClient,
    implicitThings: options.implicitThings ?? true,
    ...(options.workSettings ? { workSettings: options.workSettings } : {}),
    ...(options.workRetryDelayMs !== undefined ? { workRetryDelayMs: options.workRetryDelayMs } : {}),
  });
  const createJob = (jobId: string, things: string[], extra: Record<string, unknown> = {}) =>
    services.management.createJob(
      parseCreateJob({
        path: { jobId },
        query: {},
        body: { targets: things.map(thingArn), document: `{"job":"${jobId}"}`, ...extra },
      }),
    );
  const { device, management, stores } = services;
  /** The services' own DynamoDB client, for a test that makes its calls fail. */
  const servicesClient = client!;
  /** Resolves once the job work the services queued (fan-outs and cascades past what a request does itself) has run. */
  const workDone = () => services.localWorkQueue!.idle();
  return {
    table,
    clock,
    services,
    servicesClient,
    stores,
    executions: stores.executions,
    jobs: stores.jobs,
    device,
    management,
    createJob,
    workDone,
  };
}

export const update = (thingName: string, jobId: string, over: Partial<UpdateInput> = {}): UpdateInput => ({
  thingName,
  jobId,
  status: 'IN_PROGRESS' as const,
  includeJobExecutionState: false,
  includeJobDocument: false,
  ...over,
});

/** Every execution of a job, read page by page from the executionsByJob index (DynamoDB Local keeps it in step). */
export async function executionsOfJob(
  executions: Services['stores']['executions'],
  jobId: string,
): Promise<JobExecutionRecord[]> {
  const all: JobExecutionRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await executions.listExecutionsForJob(jobId, undefined, {
      maxResults: 250,
      ...(nextToken ? { nextToken } : {}),
    });
    all.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}
