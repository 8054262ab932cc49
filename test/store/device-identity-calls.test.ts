import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceJobs } from '../../lambdas/jobs/device/device-jobs';
import { NEXT_JOB_ID } from '../../lambdas/jobs/device/inputs';
import { CachedJobDocuments } from '../../lambdas/jobs/shared/cached-job-documents';
import { AccessDeniedException } from '../../lambdas/jobs/shared/errors';
import { createServices } from '../support/services';
import { certificateIdOf, makeTestCertificates } from '../support/test-certificates';

/**
 * What a device operation costs over mutual TLS (docs/data-model.md): its own calls plus 1 GetItem of the caller's
 * certificate, sent beside its first read; and what an INACTIVE certificate meets on its next request.
 */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let tls: DeviceJobs;
let caller: { clientCertificateFingerprint: string };

async function callsOf(run: () => Promise<unknown>): Promise<string[]> {
  s.table.commands.length = 0;
  await run();
  return [...s.table.commands].sort();
}

beforeAll(async () => {
  s = await createServices();
  const pem = makeTestCertificates(['c1']).devices.c1!.pem;
  const { certificateArn } = await s.services.certificates.registerWithoutCa({ certificatePem: pem, status: 'ACTIVE' });
  await s.services.registry.createThing({ thingName: 't1', attributes: {} });
  await s.services.principals.attach({
    thingName: 't1',
    principal: certificateArn,
    thingPrincipalType: 'NON_EXCLUSIVE_THING',
  });
  caller = { clientCertificateFingerprint: certificateIdOf(pem) };
  for (const jobId of ['j1', 'j2']) await s.createJob(jobId, ['t1']);
  const documents = new CachedJobDocuments((jobId) => s.stores.jobs.loadDocument(jobId));
  tls = new DeviceJobs(s.stores.executions, documents, s.clock, 'principal', s.stores.certificates);
  for (const jobId of ['j1', 'j2']) await tls.describe({ thingName: 't1', jobId, includeJobDocument: true, ...caller });
});

describe('DynamoDB calls of a device operation over mutual TLS', () => {
  it('GetPendingJobExecutions: 1 Query + 1 GetItem', async () => {
    expect(await callsOf(() => tls.getPending({ thingName: 't1', ...caller }))).toEqual(['GetItem', 'Query']);
  });

  it('DescribeJobExecution: 1 GetItem + 1 GetItem; $next: 1 Query + 1 GetItem', async () => {
    expect(
      await callsOf(() => tls.describe({ thingName: 't1', jobId: 'j1', includeJobDocument: true, ...caller })),
    ).toEqual(['GetItem', 'GetItem']);
    expect(
      await callsOf(() => tls.describe({ thingName: 't1', jobId: NEXT_JOB_ID, includeJobDocument: false, ...caller })),
    ).toEqual(['GetItem', 'Query']);
  });

  it('StartNextPendingJobExecution: 1 Query + 1 GetItem + 1 UpdateItem; UpdateJobExecution: 1 GetItem + 1 UpdateItem', async () => {
    expect(await callsOf(() => tls.startNext({ thingName: 't1', ...caller }))).toEqual([
      'GetItem',
      'Query',
      'UpdateItem',
    ]);
    expect(
      await callsOf(() =>
        tls.update({
          thingName: 't1',
          jobId: 'j1',
          status: 'SUCCEEDED',
          includeJobExecutionState: false,
          includeJobDocument: false,
          ...caller,
        }),
      ),
    ).toEqual(['GetItem', 'UpdateItem']);
  });

  it('no call is added without TLS (the open policy)', async () => {
    expect(await callsOf(() => s.device.getPending({ thingName: 't1' }))).toEqual(['Query']);
  });

  it('refuses an INACTIVE certificate on its next request, and writes nothing for it', async () => {
    await s.services.certificates.update({ certificateId: caller.clientCertificateFingerprint, newStatus: 'INACTIVE' });
    const calls = await callsOf(() =>
      expect(
        tls.update({
          thingName: 't1',
          jobId: 'j2',
          status: 'IN_PROGRESS',
          includeJobExecutionState: false,
          includeJobDocument: false,
          ...caller,
        }),
      ).rejects.toBeInstanceOf(AccessDeniedException),
    );
    expect(calls).toEqual(['GetItem']);
  });

  it('lets a refused caller read but not write: an execution past its deadline is left for the sweeper', async () => {
    // j2 started by the device without TLS, with a step timer that then runs out.
    expect((await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 })).execution?.jobId).toBe('j2');
    s.clock.advance(2 * 60_000);
    const refused = async (run: () => Promise<unknown>) =>
      callsOf(() => expect(run()).rejects.toBeInstanceOf(AccessDeniedException));
    expect(await refused(() => tls.getPending({ thingName: 't1', ...caller }))).not.toContain('UpdateItem');
    expect(await refused(() => tls.startNext({ thingName: 't1', ...caller }))).not.toContain('UpdateItem');
    expect(
      await refused(() => tls.describe({ thingName: 't1', jobId: NEXT_JOB_ID, includeJobDocument: false, ...caller })),
    ).not.toContain('UpdateItem');
    expect((await s.stores.executions.get('t1', 'j2'))?.status).toBe('IN_PROGRESS');
  });
});
