import type { Services } from '../../lambdas/runtime';
import type { StreamRecordLike } from '../../lambdas/store/stream-changes';
import { forEachLimited } from '../../lambdas/jobs/shared/concurrency';

/**
 * The jobs notifications over MQTT: `notify` (the thing's pending executions)
 * and `notify-next` (its next one, with its document, or none), published
 * when they change for a thing, whatever changed them (a fan-out, a release,
 * a cancel, a delete, a device's own update, a timeout, a retry): the table's
 * stream says which things' executions changed, and the device API says what
 * they see now. Each is published only when it differs from the last one
 * published for that thing.
 */
export interface Notifier {
  /** The things whose executions a stream batch changed, notified as their pending list and next execution now stand. */
  onBatch(records: readonly StreamRecordLike[]): Promise<void>;
}

const EXECUTION_KEY = /^THING#(.+)$/;

/** The things whose execution items a batch changed, each once. */
export function thingsChangedIn(records: readonly StreamRecordLike[]): string[] {
  const things = new Set<string>();
  for (const record of records) {
    const keys = record.dynamodb?.Keys as { pk?: { S?: string }; sk?: { S?: string } } | undefined;
    const thing = EXECUTION_KEY.exec(keys?.pk?.S ?? '')?.[1];
    if (thing && keys?.sk?.S?.startsWith('JOB#')) things.add(thing);
  }
  return [...things];
}

export function createNotifier(services: Pick<Services, 'device'>, publish: (topic: string, payload: Record<string, unknown>) => Promise<void>, clock: () => number): Notifier {
  const last = new Map<string, { notify: string; next: string }>();
  return {
    async onBatch(records) {
      await forEachLimited(thingsChangedIn(records), 8, async (thingName) => {
        const pending = await services.device.getPending({ thingName });
        const { execution } = await services.device.describe({ thingName, jobId: '$next', includeJobDocument: true });
        const notify = JSON.stringify({ IN_PROGRESS: pending.inProgressJobs, QUEUED: pending.queuedJobs });
        // notify-next changes with the next execution itself (another job, another status or version), not with its timestamps alone.
        const next = JSON.stringify(execution ? [execution.jobId, execution.status, execution.versionNumber, execution.executionNumber] : null);
        const before = last.get(thingName);
        last.set(thingName, { notify, next });
        const timestamp = Math.floor(clock() / 1000);
        const base = `$aws/things/${thingName}/jobs`;
        if (before?.notify !== notify) {
          const jobs = { ...(pending.inProgressJobs.length ? { IN_PROGRESS: pending.inProgressJobs } : {}), ...(pending.queuedJobs.length ? { QUEUED: pending.queuedJobs } : {}) };
          await publish(`${base}/notify`, { timestamp, jobs });
        }
        if (before?.next !== next) await publish(`${base}/notify-next`, { timestamp, ...(execution ? { execution } : {}) });
      });
    },
  };
}
