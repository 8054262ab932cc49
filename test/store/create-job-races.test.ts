import { describe, expect, it } from 'vitest';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { thingArn } from '../support/arns';
import { createServices } from '../support/services';

const FLEET = Array.from({ length: 1000 }, (_, i) => `racer-${String(i).padStart(4, '0')}`);
const DEVICES_AT_ONCE = 16;

describe('the same CreateJob twice, while devices start what it wrote', () => {
  it('never moves a started execution back: every device keeps the one execution it started', async () => {
    const s = await createServices();
    const request = () => parseCreateJob({ path: { jobId: 'twice' }, query: {}, body: { targets: FLEET.map(thingArn), document: '{"v":1}' } });

    // A, the first CreateJob; B, its retry (a client that gave up on A's answer), sent once A's fan-out is under way.
    const first = s.management.createJob(request());
    const deadline = Date.now() + 30_000;
    while (!(await s.executions.get(FLEET[40]!, 'twice'))) {
      if (Date.now() > deadline) throw new Error('the first fan-out wrote nothing in time');
    }
    const retry = s.management.createJob(request()).catch((error: unknown) => error);

    // Devices start their execution as soon as it exists, while both fan-outs run.
    const started = new Map<string, number>();
    let creating = true;
    const creations = Promise.all([first, retry]).finally(() => (creating = false));
    const devices = (async () => {
      // In target order, as both fan-outs write: the first few things still waiting, again and again, until each has its execution.
      let waiting = [...FLEET];
      while (waiting.length) {
        const batch = waiting.slice(0, DEVICES_AT_ONCE);
        const answers = await Promise.all(batch.map((thingName) => s.device.startNext({ thingName })));
        const stillWaiting = batch.filter((thingName, i) => {
          const { execution } = answers[i]!;
          if (execution) started.set(thingName, execution.versionNumber);
          return !execution;
        });
        if (!creating && stillWaiting.length === batch.length) throw new Error(`no execution for ${stillWaiting.join(', ')}`);
        waiting = [...stillWaiting, ...waiting.slice(DEVICES_AT_ONCE)];
      }
    })();
    await Promise.all([creations, devices]);

    expect(started.size).toBe(FLEET.length);
    expect(new Set(started.values())).toEqual(new Set([2]));
    // What each device started is what is stored: none reset to QUEUED, none to be handed out again.
    const stored = await Promise.all(FLEET.map((thingName) => s.executions.get(thingName, 'twice')));
    const backwards = stored.filter((e) => e?.status !== 'IN_PROGRESS' || e.versionNumber !== 2).map((e) => `${e?.thingName}: ${e?.status} v${e?.versionNumber}`);
    expect(backwards).toEqual([]);
    expect((await s.device.startNext({ thingName: FLEET[0]! })).execution).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2 });
  });
});
