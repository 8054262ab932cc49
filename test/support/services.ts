import { CachedJobDocuments } from '../../lambdas/store/job-document-cache';
import { JobAdminRepository } from '../../lambdas/store/jobs';
import { JobsRepository } from '../../lambdas/store/executions';
import { DeviceJobs } from '../../lambdas/jobs/device/device-jobs';
import type { UpdateInput } from '../../lambdas/api/requests/device-requests';
import { parseCreateJob } from '../../lambdas/jobs/management/job';
import { ManagementJobs } from '../../lambdas/jobs/management/management-jobs';
import { thingArn } from './arns';
import { manualClock } from './manual-clock';
import { createTestTable } from './test-table';

/** The domain services over the real repository on DynamoDB Local, with a clock the test moves. */
export async function createServices() {
  const table = await createTestTable();
  const clock = manualClock();
  const repository = new JobsRepository(table.client, table.tableName);
  const admin = new JobAdminRepository(table.client, table.tableName);
  let incarnations = 0;
  const documents = new CachedJobDocuments((jobId) => repository.loadJobDocument(jobId));
  const device = new DeviceJobs(repository, documents, clock);
  const management = new ManagementJobs(admin, repository, documents, { partition: 'aws', region: 'us-east-1', account: '123456789012' }, clock, () => `inc-${++incarnations}`);
  const createJob = (jobId: string, things: string[], extra: Record<string, unknown> = {}) =>
    management.createJob(
      parseCreateJob({
        path: { jobId },
        query: {},
        body: { targets: things.map(thingArn), document: `{"job":"${jobId}"}`, ...extra },
      }),
    );
  return { table, clock, repository, admin, device, management, createJob };
}

export const update = (thingName: string, jobId: string, over: Partial<UpdateInput> = {}): UpdateInput => ({
  thingName,
  jobId,
  status: 'IN_PROGRESS' as const,
  includeJobExecutionState: false,
  includeJobDocument: false,
  ...over,
});
