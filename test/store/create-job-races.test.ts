import { describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingArn } from '../support/arns';
import { createServices } from '../support/services';
import { within } from '../support/within';

const FLEET = Array.from({ length: 1000 }, (_, i) => `racer-${String(i).padStart(4, '0')}`);
const DEVICES_AT_ONCE = 16;
/** A fleet of 1,000 on a loaded two-core machine: generous, since a slow run is not a failed one. */
const RACE_TIMEOUT_MS = 180_000;
/** Between two looks at a condition: enough to leave DynamoDB Local to the fan-out being waited on. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits until `thingName` has an execution of `jobId`, looking every few milliseconds, for 30 s at most. */
async function untilWritten(
  s: Awaited<ReturnType<typeof createServices>>,
  thingName: string,
  jobId: string,
): Promise<void> {
  if (!(await within(30_000, async () => (await s.executions.get(thingName, jobId)) !== undefined, 5))) {
    throw new Error(`no execution of ${jobId} for ${thingName} in time`);
  }
}

describe('the same CreateJob twice, while devices start what it wrote', () => {
  it(
    'never moves a started execution back: every device keeps the one execution it started',
    async () => {
      const s = await createServices();
      const request = () =>
        parseCreateJob({
          path: { jobId: 'twice' },
          query: {},
          body: { targets: FLEET.map(thingArn), document: '{"v":1}' },
        });

      // A, the first CreateJob; B, its retry (a client that gave up on A's answer), sent once A's fan-out is under way.
      const first = s.management.createJob(request());
      await untilWritten(s, FLEET[40]!, 'twice');
      const retry = s.management.createJob(request()).catch((error: unknown) => error);

      // Devices start their execution as soon as it exists, while both fan-outs run.
      const started = new Map<string, number>();
      let creating = true;
      // Done once both answered and the worker has written what they left to it.
      const creations = Promise.all([first, retry])
        .then(() => s.workDone())
        .finally(() => (creating = false));
      const devices = (async () => {
        // In target order, as both fan-outs write: the first few things still waiting, again and again, until each has
        // its execution.
        let waiting = [...FLEET];
        while (waiting.length) {
          const batch = waiting.slice(0, DEVICES_AT_ONCE);
          const answers = await Promise.all(batch.map((thingName) => s.device.startNext({ thingName })));
          const stillWaiting = batch.filter((thingName, i) => {
            const { execution } = answers[i]!;
            if (execution) started.set(thingName, execution.versionNumber);
            return !execution;
          });
          if (stillWaiting.length === batch.length) {
            if (!creating) throw new Error(`no execution for ${stillWaiting.join(', ')}`);
            await pause();
          }
          waiting = [...stillWaiting, ...waiting.slice(DEVICES_AT_ONCE)];
        }
      })();
      await Promise.all([creations, devices]);

      expect(started.size).toBe(FLEET.length);
      expect(new Set(started.values())).toEqual(new Set([2]));
      // What each device started is what is stored: none reset to QUEUED, none to be handed out again.
      const stored = await Promise.all(FLEET.map((thingName) => s.executions.get(thingName, 'twice')));
      const backwards = stored
        .filter((e) => e?.status !== 'IN_PROGRESS' || e.versionNumber !== 2)
        .map((e) => `${e?.thingName}: ${e?.status} v${e?.versionNumber}`);
      expect(backwards).toEqual([]);
      expect((await s.device.startNext({ thingName: FLEET[0]! })).execution).toMatchObject({
        status: 'IN_PROGRESS',
        versionNumber: 2,
      });
    },
    RACE_TIMEOUT_MS,
  );
});

describe('CancelJob while CreateJob still fans out', () => {
  it.each([false, true])(
    'leaves no execution of the job pending (force=%s), and no device can start one',
    async (force) => {
      const s = await createServices();
      const creating = s.management.createJob(
        parseCreateJob({
          path: { jobId: 'recalled' },
          query: {},
          body: { targets: FLEET.map(thingArn), document: '{"v":1}' },
        }),
      );
      await untilWritten(s, FLEET[40]!, 'recalled');
      // A device starts one before the cancel: only a forced cancel may take it.
      const early = await s.device.startNext({ thingName: FLEET[0]! });
      await s.management.cancelJob({ jobId: 'recalled', force });
      await creating;
      // The fan-out's worker meets the cancel at its next step and runs the cascade (or hands it to the queue): wait
      // for the queue to be done.
      await s.workDone();

      const stored = (await Promise.all(FLEET.map((thingName) => s.executions.get(thingName, 'recalled')))).filter(
        (e) => e !== undefined,
      );
      const pending = stored.filter(
        (e) => e.status === 'QUEUED' || (e.status === 'IN_PROGRESS' && (force || e.thingName !== FLEET[0])),
      );
      expect(pending.map((e) => `${e.thingName}: ${e.status}`)).toEqual([]);
      expect(early.execution?.jobId).toBe('recalled');
      expect((await s.executions.get(FLEET[0]!, 'recalled'))?.status).toBe(force ? 'CANCELED' : 'IN_PROGRESS');
      const starts = await Promise.all(FLEET.slice(1, 200).map((thingName) => s.device.startNext({ thingName })));
      expect(starts.filter((answer) => answer.execution)).toEqual([]);
      expect((await s.management.describeJob({ jobId: 'recalled' })).job).toMatchObject({
        status: 'CANCELED',
        jobProcessDetails: expect.not.objectContaining({ processingTargets: expect.anything() }),
      });
    },
    RACE_TIMEOUT_MS,
  );
});
