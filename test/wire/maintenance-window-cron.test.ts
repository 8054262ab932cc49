import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  DescribeJobCommand,
  InvalidRequestException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * A maintenance window whose cron never opens one (within the next 8 years) is refused where a job or template takes
 * windows, with InvalidRequestException naming the expression, instead of a job that waits forever. Through
 * @aws-sdk/client-iot on the local runner with its controllable clock.
 */
let f: WireFixture;
/** The service's current year (UTC). */
let year: number;

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
  const shown = (await (await fetch(`${f.service.managementEndpoint}/_local/clock`)).json()) as { now: number };
  year = new Date(shown.now * 1000).getUTCFullYear();
});

afterAll(() => f?.stop());

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const window = (startTime: string) => ({ maintenanceWindows: [{ startTime, durationInMinutes: 60 }] });
const createJob = (jobId: string, startTime: string) =>
  f.iot.send(
    new CreateJobCommand({ jobId, targets: [thingArn('w-1')], document: '{}', schedulingConfig: window(startTime) }),
  );
const refusal = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 'accepted',
    (error: Error) => (error instanceof InvalidRequestException ? error.message : `${error.name}: ${error.message}`),
  );

it('refuses a window that never opens at CreateJob and CreateJobTemplate, naming its expression, and takes one that does', async () => {
  const noLeapYear = [1, 2, 3, 4].map((n) => year + n).find((y) => !isLeap(y))!;
  const never = [
    // A year gone.
    `cron(0 0 1 1 ? ${year - 1})`,
    // February 29th of a year that has none.
    `cron(0 0 29 2 ? ${noLeapYear})`,
    // Further off than 8 years.
    `cron(0 0 1 1 ? ${year + 9}-${year + 20})`,
    // February 31st (cron-parser refuses the day itself).
    'cron(0 0 31 2 ? *)',
  ];
  for (const [i, cron] of never.entries()) {
    expect({ cron, job: await refusal(createJob(`never-${i}`, cron)) }).toEqual({
      cron,
      job: expect.stringMatching(/^schedulingConfig\.maintenanceWindows\[0\]\.startTime: /),
    });
    expect(await refusal(createJob(`never-${i}`, cron))).toContain(cron);
    const template = await refusal(
      f.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: `never-${i}`,
          description: 'd',
          document: '{}',
          ...window(cron),
        }),
      ),
    );
    expect(template).toMatch(/^maintenanceWindows\[0\]\.startTime: /);
    expect(template).toContain(cron);
  }
  // A leap day comes round at least every 8 years, and a year within 8 is in reach: both taken.
  for (const [i, cron] of ['cron(0 0 29 2 ? *)', `cron(0 0 1 1 ? ${year + 8})`].entries()) {
    await createJob(`fires-${i}`, cron);
    expect(
      (await f.iot.send(new DescribeJobCommand({ jobId: `fires-${i}` }))).job?.scheduledJobRollouts?.[0],
    ).toBeDefined();
  }
});
