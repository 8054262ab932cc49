import { randomUUID } from 'node:crypto';
import type { RuntimeConfig } from './environment-config';
import { InProcessWorkQueue } from './jobs/work/in-process-work-queue';
import { JobWork } from './jobs/work/job-work';
import { SqsWorkQueue } from './queue/sqs-work-queue';
import type { Stores } from './runtime-stores';

/**
 * Jobs' work off the request path (fan-outs, cascades, schedules), and the queue it goes through: SQS when the
 * environment names one (deployed), else a queue in this process (the local runner, the tests).
 */
export function buildJobWork(stores: Stores, config: RuntimeConfig) {
  const localWorkQueue = config.workQueueUrl ? undefined : new InProcessWorkQueue(config.workRetryDelayMs);
  const sqsQueue = config.workQueueUrl ? new SqsWorkQueue(config.workQueueUrl, config.region) : undefined;
  const jobWork = new JobWork(
    {
      store: stores.jobWork,
      executions: stores.executions,
      registry: {
        missingThings: (names) => stores.things.missingThings(names),
        markedDeleted: (names) => stores.things.markedDeleted(names),
        memberPage: (...args) => stores.thingGroups.memberPage(...args),
        membershipPaths: (...args) => stores.thingGroups.membershipPaths(...args),
      },
      continuous: stores.continuousJobs,
      jobs: {
        getJob: (jobId) => stores.jobs.getJob(jobId),
        startScheduled: (job) => stores.jobs.startScheduledJob(job, config.clock()),
        endJob: async (job, force) => {
          const behavior = force ? 'FORCE_CANCEL' : 'CANCEL';
          const comment =
            `Canceled at its schedulingConfig endTime (${job.schedulingConfig?.endTime}), ` +
            `as its endBehavior ${behavior} says`;
          const outcome = await stores.jobs.cancelJob(job.jobId, {
            force,
            serial: randomUUID(),
            now: config.clock(),
            onlyUnfinished: true,
            incarnation: job.incarnation,
            reasonCode: 'SCHEDULED_END',
            comment,
            by: { kind: 'schedule', ...(force ? { force } : {}) },
          });
          return outcome.applied ? stores.jobs.getJob(job.jobId) : outcome.current;
        },
      },
      queue: (sqsQueue ?? localWorkQueue)!,
      clock: config.clock,
      leaseClock: Date.now,
      newOwner: randomUUID,
    },
    config.workSettings,
  );
  localWorkQueue?.bind((jobId, options) => jobWork.run(jobId, options));
  return { jobWork, localWorkQueue, sqsQueue };
}
