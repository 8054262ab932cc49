import { beforeEach, describe, expect, it } from 'vitest';
import { ResourceAlreadyExistsException } from '../../lambdas/jobs/shared/errors';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingArn } from '../support/arns';
import { createServices } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

beforeEach(async () => {
  s = await createServices();
});

const fleet = Array.from({ length: 250 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
/** Executions one fan-out transaction writes. */
const PER_TRANSACTION = 99;
const request = (document = '{"v":1}') =>
  parseCreateJob({ path: { jobId: 'rollout' }, query: {}, body: { targets: fleet.map(thingArn), document } });

/** Makes the store fail after `transactions` fan-out transactions, as a Lambda dying mid-fan-out would leave it. */
function failAfterTransactions(transactions: number): () => void {
  let sent = 0;
  s.servicesClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && ++sent > transactions) throw new Error('connection reset');
      return next(args);
    },
    { step: 'initialize', name: 'failTransactions' },
  );
  return () => s.servicesClient.middlewareStack.remove('failTransactions');
}

const existing = async () => (await Promise.all(fleet.map((t) => s.executions.get(t, 'rollout')))).filter((e) => e !== undefined);

describe('CreateJob fan-out interrupted', () => {
  it('says so in DescribeJob, and the same CreateJob again finishes it without resetting what devices did', async () => {
    const heal = failAfterTransactions(1);
    await expect(s.management.createJob(request())).rejects.toThrow();
    heal();

    const half = await existing();
    expect(half).toHaveLength(PER_TRANSACTION);
    const { job } = await s.management.describeJob({ jobId: 'rollout' });
    expect(job.jobProcessDetails.processingTargets).toHaveLength(fleet.length);

    // A device whose execution was written gets going before the operator retries.
    const early = await s.device.startNext({ thingName: half[0]!.thingName, statusDetails: { step: 'flash' } });
    expect(early.execution?.versionNumber).toBe(2);

    const retried = await s.management.createJob(request());
    expect(retried.jobArn).toBe(job.jobArn);
    const all = await existing();
    expect(all).toHaveLength(fleet.length);
    expect(all.filter((e) => e.status === 'IN_PROGRESS')).toEqual([expect.objectContaining({ thingName: half[0]!.thingName, versionNumber: 2, statusDetails: { step: 'flash' } })]);
    expect(new Set(all.map((e) => e.jobIncarnation))).toEqual(new Set([half[0]!.jobIncarnation]));
    expect((await s.management.describeJob({ jobId: 'rollout' })).job.jobProcessDetails).not.toHaveProperty('processingTargets');
  });

  it('refuses a different job under the same jobId, interrupted or not', async () => {
    const heal = failAfterTransactions(1);
    await expect(s.management.createJob(request())).rejects.toThrow();
    heal();
    await expect(s.management.createJob(request('{"v":2}'))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await s.management.createJob(request());
    await expect(s.management.createJob(request())).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });
});
