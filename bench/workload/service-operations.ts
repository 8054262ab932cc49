import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  type IoTJobsDataPlaneClient,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { check, type Operation } from './answer-check';
import { type OperationId, statusDetailsFor } from './workload';

/** The device API through the official SDK, checking each answer. */
export function serviceOperations(device: IoTJobsDataPlaneClient): Record<OperationId, Operation> {
  const versions = new Map<string, number>();
  return {
    'get-pending': async (thingName, jobId) => {
      const answer = await device.send(new GetPendingJobExecutionsCommand({ thingName }));
      check(answer.queuedJobs?.[0]?.jobId === jobId, `${thingName}: ${jobId} first in the queue`);
    },
    'describe-next': async (thingName, jobId) => {
      const answer = await device.send(new DescribeJobExecutionCommand({ thingName, jobId: '$next' }));
      check(answer.execution?.jobId === jobId, `${thingName}: $next is ${jobId}`);
    },
    'start-next': async (thingName, jobId) => {
      const answer = await device.send(
        new StartNextPendingJobExecutionCommand({ thingName, statusDetails: statusDetailsFor('start-next') }),
      );
      check(
        answer.execution?.jobId === jobId && answer.execution.status === 'IN_PROGRESS',
        `${thingName}: started ${jobId}`,
      );
    },
    'update-in-progress': async (thingName, jobId) => {
      const answer = await device.send(
        new UpdateJobExecutionCommand({
          thingName,
          jobId,
          status: 'IN_PROGRESS',
          statusDetails: statusDetailsFor('update-in-progress'),
          includeJobExecutionState: true,
        }),
      );
      check(answer.executionState?.versionNumber !== undefined, `${thingName}: version of ${jobId}`);
      versions.set(thingName, answer.executionState.versionNumber);
    },
    'describe-by-id': async (thingName, jobId) => {
      const answer = await device.send(new DescribeJobExecutionCommand({ thingName, jobId }));
      check(answer.execution?.status === 'IN_PROGRESS', `${thingName}: ${jobId} in progress`);
    },
    'update-succeeded': async (thingName, jobId) => {
      check(versions.has(thingName), `${thingName}: a version to expect`);
      await device.send(
        new UpdateJobExecutionCommand({
          thingName,
          jobId,
          status: 'SUCCEEDED',
          statusDetails: statusDetailsFor('update-succeeded'),
          expectedVersion: versions.get(thingName),
        }),
      );
    },
  };
}
