import { randomUUID } from 'node:crypto';
import { STOPPED_TIMERS, timersWhileInProgress, unreadInProgressTimers } from '../../lambdas/jobs/execution/timers';
import { type Actor, deviceActor } from '../../lambdas/jobs/shared/actor';
import type { DynamoExecutionStore } from '../../lambdas/store/executions';
import { check, type Operation } from '../workload/answer-check';
import { type OperationId, statusDetailsFor } from '../workload/workload';

/** What the service writes beside a device's change: the thing, and an API Gateway request ID of the same length. */
const floorActor = (thingName: string): Actor => deviceActor(thingName, { requestId: randomUUID() });

/**
 * The floor: for each operation, the DynamoDB requests the service sends for
 * it, built by the service's own repository (so they are the same requests,
 * byte for byte) and sent from this process with nothing else in the way.
 */
export function floorOperations(repository: DynamoExecutionStore): Record<OperationId, Operation> {
  const versions = new Map<string, number>();
  return {
    'get-pending': async (thingName, jobId) => {
      const pending = await repository.listPending(thingName);
      check(pending[0]?.jobId === jobId, `${thingName}: ${jobId} first in the queue`);
    },
    'describe-next': async (thingName, jobId) => {
      const next = await repository.findNextPending(thingName);
      check(next?.jobId === jobId, `${thingName}: $next is ${jobId}`);
    },
    'start-next': async (thingName, jobId) => {
      const now = Date.now();
      const next = await repository.findNextPending(thingName);
      check(next?.jobId === jobId, `${thingName}: next is ${jobId}`);
      const outcome = await repository.start(next, {
        now,
        statusDetails: statusDetailsFor('start-next'),
        timers: timersWhileInProgress(next, undefined, now),
        actor: floorActor(thingName),
      });
      check(outcome.applied, `${thingName}: started ${jobId}`);
    },
    'update-in-progress': async (thingName, jobId) => {
      const now = Date.now();
      const unread = unreadInProgressTimers(undefined, now);
      const outcome = await repository.applyDeviceUpdate({
        thingName,
        jobId,
        status: 'IN_PROGRESS',
        statusDetails: statusDetailsFor('update-in-progress'),
        now,
        timers: unread.write,
        assumes: unread.assumes,
        actor: floorActor(thingName),
      });
      check(outcome.applied, `${thingName}: ${jobId} updated`);
      versions.set(thingName, outcome.record.versionNumber);
    },
    'describe-by-id': async (thingName, jobId) => {
      const execution = await repository.get(thingName, jobId);
      check(execution?.status === 'IN_PROGRESS', `${thingName}: ${jobId} in progress`);
    },
    'update-succeeded': async (thingName, jobId) => {
      check(versions.has(thingName), `${thingName}: a version to expect`);
      const outcome = await repository.applyDeviceUpdate({
        thingName,
        jobId,
        status: 'SUCCEEDED',
        statusDetails: statusDetailsFor('update-succeeded'),
        now: Date.now(),
        actor: floorActor(thingName),
        timers: STOPPED_TIMERS,
        expectedVersion: versions.get(thingName)!,
      });
      check(outcome.applied, `${thingName}: ${jobId} succeeded`);
    },
  };
}
