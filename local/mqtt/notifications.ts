import { forEachLimited } from '../../lambdas/jobs/shared/concurrency';
import type { Services } from '../../lambdas/runtime';
import type { StreamRecordLike } from '../../lambdas/store/stream-changes';
import { withEmbeddedDocuments } from './device-topics';

/**
 * The jobs notifications over MQTT, published when AWS's developer guide
 * ("Jobs notifications") says, whatever changed the thing's executions (a
 * fan-out, a release, a cancel, a delete, a device's own update, a timeout, a
 * retry): the table's stream says which things' executions changed, and the
 * device API says what they see now.
 * - `notify` (the pending list) when an execution joins or leaves it, or
 *   moves between QUEUED and IN_PROGRESS; not for a progress update.
 * - `notify-next` (the first pending execution, with its document, or none)
 *   when the first one is another execution; not when it is started or
 *   updated.
 * Each is compared with the last one published for that thing; a runner that
 * starts again knows none, so its first notification of a thing has both.
 */
export interface Notifier {
  /**
   * The things whose executions a stream batch changed, notified as their pending list and next execution now stand.
   */
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

export function createNotifier(
  services: Pick<Services, 'device'>,
  publish: (topic: string, payload: Record<string, unknown>) => Promise<void>,
  clock: () => number,
): Notifier {
  const last = new Map<string, { notify: string; next: string }>();
  return {
    async onBatch(records) {
      await forEachLimited(thingsChangedIn(records), 8, async (thingName) => {
        const { execution, ...pending } = await services.device.notificationsOf(thingName);
        // Which executions are pending, and in which status: not their versions or times, which every progress update
        // moves.
        const notify = JSON.stringify(
          [pending.inProgressJobs, pending.queuedJobs].map((list) =>
            list.map((job) => [job.jobId, job.executionNumber]),
          ),
        );
        // Which execution is first (a retry's next attempt is another execution of the same job), not its status or
        // version.
        const next = JSON.stringify(execution ? [execution.jobId, execution.executionNumber] : null);
        const before = last.get(thingName);
        last.set(thingName, { notify, next });
        const timestamp = Math.floor(clock() / 1000);
        const base = `$aws/things/${thingName}/jobs`;
        if (before?.notify !== notify) {
          const jobs = {
            ...(pending.inProgressJobs.length ? { IN_PROGRESS: pending.inProgressJobs } : {}),
            ...(pending.queuedJobs.length ? { QUEUED: pending.queuedJobs } : {}),
          };
          await publish(`${base}/notify`, { timestamp, jobs });
        }
        if (before?.next !== next)
          await publish(
            `${base}/notify-next`,
            withEmbeddedDocuments({ timestamp, ...(execution ? { execution } : {}) }),
          );
      });
    },
  };
}
