import { describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingArn } from '../support/arns';
import { createServices } from '../support/services';
import { within } from '../support/within';

const fleetOf = (size: number) => Array.from({ length: size }, (_, i) => `racer-${String(i).padStart(4, '0')}`);
/**
 * Each race at the smallest size that still loses it when the code it guards is broken, with the job worker still
 * taking over part-way (past the request's own part, inlineBudget). Measured with two mutations (a request taking the
 * work's lease from whoever holds it, and a recovered page written blindly): the retry race at 200 things (100 in the
 * request) left 45 to 65 started executions QUEUED v1 again in each run. The cancel race needs the request's part to
 * outlast the first 8 batches of 25 in flight: at 600 things (the default 500 in the request) it left 102 to 174
 * QUEUED in six of six runs (at 400 and 500 as few as 17, and at 500 one run in six none). The 1,000 things each race
 * used before add no branch.
 */
const RETRY_FLEET = fleetOf(200);
const RETRY_INLINE = 100;
const CANCEL_FLEET = fleetOf(600);
const DEVICES_AT_ONCE = 16;
/** Hundreds of things on a loaded two-core machine: generous, since a slow run is not a failed one. */
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
      const s = await createServices({ workSettings: { inlineBudget: RETRY_INLINE } });
      const request = () =>
        parseCreateJob({
          path: { jobId: 'twice' },
          query: {},
          body: { targets: RETRY_FLEET.map(thingArn), document: '{"v":1}' },
        });

      // A, the first CreateJob; B, its retry (a client that gave up on A's answer), sent once A's fan-out is under way.
      const first = s.management.createJob(request());
      await untilWritten(s, RETRY_FLEET[40]!, 'twice');
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
        let waiting = [...RETRY_FLEET];
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

      expect(started.size).toBe(RETRY_FLEET.length);
      expect(new Set(started.values())).toEqual(new Set([2]));
      // What each device started is what is stored: none reset to QUEUED, none to be handed out again.
      const stored = await Promise.all(RETRY_FLEET.map((thingName) => s.executions.get(thingName, 'twice')));
      const backwards = stored
        .filter((e) => e?.status !== 'IN_PROGRESS' || e.versionNumber !== 2)
        .map((e) => `${e?.thingName}: ${e?.status} v${e?.versionNumber}`);
      expect(backwards).toEqual([]);
      expect((await s.device.startNext({ thingName: RETRY_FLEET[0]! })).execution).toMatchObject({
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
          body: { targets: CANCEL_FLEET.map(thingArn), document: '{"v":1}' },
        }),
      );
      await untilWritten(s, CANCEL_FLEET[40]!, 'recalled');
      // A device starts one before the cancel: only a forced cancel may take it.
      const early = await s.device.startNext({ thingName: CANCEL_FLEET[0]! });
      await s.management.cancelJob({ jobId: 'recalled', force });
      await creating;
      // The fan-out's worker meets the cancel at its next step and runs the cascade (or hands it to the queue): wait
      // for the queue to be done.
      await s.workDone();

      const stored = (
        await Promise.all(CANCEL_FLEET.map((thingName) => s.executions.get(thingName, 'recalled')))
      ).filter((e) => e !== undefined);
      const pending = stored.filter(
        (e) => e.status === 'QUEUED' || (e.status === 'IN_PROGRESS' && (force || e.thingName !== CANCEL_FLEET[0])),
      );
      expect(pending.map((e) => `${e.thingName}: ${e.status}`)).toEqual([]);
      expect(early.execution?.jobId).toBe('recalled');
      expect((await s.executions.get(CANCEL_FLEET[0]!, 'recalled'))?.status).toBe(force ? 'CANCELED' : 'IN_PROGRESS');
      const starts = await Promise.all(
        CANCEL_FLEET.slice(1, 200).map((thingName) => s.device.startNext({ thingName })),
      );
      expect(starts.filter((answer) => answer.execution)).toEqual([]);
      expect((await s.management.describeJob({ jobId: 'recalled' })).job).toMatchObject({
        status: 'CANCELED',
        jobProcessDetails: expect.not.objectContaining({ processingTargets: expect.anything() }),
      });
    },
    RACE_TIMEOUT_MS,
  );
});
