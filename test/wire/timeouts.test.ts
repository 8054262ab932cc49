import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  InvalidStateTransitionException,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import { DynamoExecutionStore } from '../../lambdas/store/executions';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { manualClock } from '../support/manual-clock';

/**
 * Timeouts as a firmware developer tests them against the local service: move the clock, watch the execution time out.
 */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

const advance = async (seconds: number) => {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe('timeouts over the wire, with the local clock control', () => {
  it('a step timer fires when the clock passes it: the sweep writes TIMED_OUT and a late update is refused', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ota-1',
        targets: [thingArn('dev-1')],
        document: '{"op":"flash"}',
        timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      }),
    );
    const started = await f.device.send(
      new StartNextPendingJobExecutionCommand({ thingName: 'dev-1', stepTimeoutInMinutes: 10 }),
    );
    expect(started.execution?.approximateSecondsBeforeTimedOut).toBeGreaterThanOrEqual(599);
    expect(started.execution?.approximateSecondsBeforeTimedOut).toBeLessThanOrEqual(600);

    const moved = await advance(11 * 60);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ offsetSeconds: 660, sweep: { timedOut: 1, complete: true } });

    const described = await f.device.send(new DescribeJobExecutionCommand({ thingName: 'dev-1', jobId: 'ota-1' }));
    expect(described.execution).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3 });
    expect(described.execution?.approximateSecondsBeforeTimedOut).toBeUndefined();

    const late = f.device.send(
      new UpdateJobExecutionCommand({ thingName: 'dev-1', jobId: 'ota-1', status: 'SUCCEEDED' }),
    );
    await expect(late).rejects.toBeInstanceOf(InvalidStateTransitionException);
  });

  it('shows the clock, and refuses to move it backwards', async () => {
    const shown = (await (await fetch(`${f.service.managementEndpoint}/_local/clock`)).json()) as {
      now: number;
      offsetSeconds: number;
    };
    expect(shown.offsetSeconds).toBeGreaterThan(0);
    expect(shown.now * 1000).toBeGreaterThan(Date.now() + (shown.offsetSeconds - 5) * 1000);
    expect((await advance(-60)).status).toBe(400);
  });

  it('works from the AWS CLI and `npm run clock`, as the README shows', async () => {
    const mgmt = f.service.managementEndpoint;
    const device = f.service.deviceEndpoint;
    await aws(
      'iot',
      'create-job',
      '--endpoint-url',
      mgmt,
      '--job-id',
      'ota-2',
      '--targets',
      thingArn('dev-2'),
      '--document',
      '{}',
    );
    await aws(
      'iot-jobs-data',
      'start-next-pending-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      'dev-2',
      '--step-timeout-in-minutes',
      '5',
    );
    const running = await aws(
      'iot-jobs-data',
      'describe-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      'dev-2',
      '--job-id',
      'ota-2',
    );
    expect(running.json.execution.approximateSecondsBeforeTimedOut).toBeGreaterThan(290);

    const { stdout } = await promisify(execFile)('npx', [
      'tsx',
      'local/cli/clock.ts',
      'advance',
      '6m',
      '--endpoint',
      mgmt,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ sweep: { timedOut: 1 } });

    const after = await aws(
      'iot-jobs-data',
      'describe-job-execution',
      '--endpoint-url',
      device,
      '--thing-name',
      'dev-2',
      '--job-id',
      'ota-2',
    );
    expect(after.json.execution.status).toBe('TIMED_OUT');
  });
});

describe('the local runner without clock control', () => {
  it('answers the clock paths as any unknown path: 404', async () => {
    const plain = await startWireFixture();
    try {
      const response = await fetch(`${plain.service.managementEndpoint}/_local/clock/advance`, {
        method: 'POST',
        body: '{"seconds":60}',
      });
      expect(response.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it('sweeps on its interval by itself', async () => {
    const clock = manualClock(Date.now());
    const swept = await startWireFixture({ clock, sweepIntervalMs: 20 });
    try {
      await swept.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('t1')], document: '{}' }));
      await swept.device.send(new StartNextPendingJobExecutionCommand({ thingName: 't1', stepTimeoutInMinutes: 1 }));
      clock.advance(MINUTE_MS);
      // Nobody reads the execution through the service, so only the periodic sweep can write it.
      const store = createDocumentClient({ endpoint: swept.service.dynamoEndpoint });
      const repository = new DynamoExecutionStore(store, swept.service.tableName);
      try {
        await vi.waitFor(async () => expect((await repository.get('t1', 'j1'))?.status).toBe('TIMED_OUT'), {
          timeout: 5000,
          interval: 20,
        });
      } finally {
        store.destroy();
      }
    } finally {
      await swept.stop();
    }
  });
});
