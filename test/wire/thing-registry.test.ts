import {
  CreateJobCommand,
  CreateThingCommand,
  DeleteThingCommand,
  DescribeJobCommand,
  DescribeThingCommand,
  InvalidRequestException,
  ListJobExecutionsForThingCommand,
  ListThingsCommand,
  paginateListThings,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateThingCommand,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** The thing registry through @aws-sdk/client-iot and the AWS CLI, as an operator uses them. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

beforeAll(async () => {
  // As AWS: a job may target registered things only.
  f = await startWireFixture({ implicitThings: false });
});

afterAll(() => f?.stop());

const describeThing = (thingName: string) => f.iot.send(new DescribeThingCommand({ thingName }));

describe('CreateThing and DescribeThing', () => {
  it('registers a thing with its attributes, answers the same CreateThing again alike, and describes it', async () => {
    const created = await f.iot.send(
      new CreateThingCommand({ thingName: 'pump-1', attributePayload: { attributes: { site: 'north', model: 'p7' } } }),
    );
    expect(created).toMatchObject({ thingName: 'pump-1', thingArn: thingArn('pump-1'), thingId: expect.any(String) });
    const again = await f.iot.send(
      new CreateThingCommand({ thingName: 'pump-1', attributePayload: { attributes: { model: 'p7', site: 'north' } } }),
    );
    expect(again.thingId).toBe(created.thingId);

    expect(await describeThing('pump-1')).toMatchObject({
      defaultClientId: 'pump-1',
      thingName: 'pump-1',
      thingId: created.thingId,
      thingArn: thingArn('pump-1'),
      attributes: { site: 'north', model: 'p7' },
      version: 1,
    });
  });

  it('refuses a CreateThing of an existing name with other attributes, naming the thing', async () => {
    const error = await f.iot
      .send(new CreateThingCommand({ thingName: 'pump-1', attributePayload: { attributes: { site: 'south' } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(error).toMatchObject({ resourceArn: thingArn('pump-1') });
  });

  it.each<[string, ConstructorParameters<typeof CreateThingCommand>[0]]>([
    ['a billing group', { thingName: 'billed', billingGroupName: 'b' }],
    [
      'more than three attributes without a type',
      { thingName: 'many', attributePayload: { attributes: { a: '1', b: '2', c: '3', d: '4' } } },
    ],
    [
      'an attribute value outside the pattern',
      { thingName: 'odd', attributePayload: { attributes: { a: 'white space' } } },
    ],
  ])('refuses %s', async (_case, input) => {
    await expect(f.iot.send(new CreateThingCommand(input))).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('refuses a thing of a thing type that does not exist, as AWS does', async () => {
    await expect(
      f.iot.send(new CreateThingCommand({ thingName: 'typed', thingTypeName: 'pumps' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('does not know a thing that was never created', async () => {
    await expect(describeThing('never')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListThings', () => {
  beforeAll(async () => {
    for (const [name, site] of [
      ['list-a', 'east'],
      ['list-b', 'east-2'],
      ['list-c', 'west'],
    ] as const) {
      await f.iot.send(new CreateThingCommand({ thingName: name, attributePayload: { attributes: { site } } }));
    }
  });

  it('lists every thing by name, across pages', async () => {
    const names: string[] = [];
    for await (const page of paginateListThings({ client: f.iot, pageSize: 2 }, {}))
      names.push(...(page.things ?? []).map((t) => t.thingName!));
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c', 'pump-1']));
  });

  it('filters by an attribute value, exactly or by prefix', async () => {
    const exact = await f.iot.send(new ListThingsCommand({ attributeName: 'site', attributeValue: 'east' }));
    expect(exact.things?.map((t) => t.thingName)).toEqual(['list-a']);
    const prefix = await f.iot.send(
      new ListThingsCommand({ attributeName: 'site', attributeValue: 'east', usePrefixAttributeValue: true }),
    );
    expect(prefix.things?.map((t) => t.thingName)).toEqual(['list-a', 'list-b']);
    expect(prefix.things?.[0]).toEqual({
      thingName: 'list-a',
      thingArn: thingArn('list-a'),
      attributes: { site: 'east' },
      version: 1,
    });
  });

  it('lists no thing of a thing type that does not exist', async () => {
    expect((await f.iot.send(new ListThingsCommand({ thingTypeName: 'pumps' }))).things).toEqual([]);
  });

  it('refuses an attribute name without a value', async () => {
    await expect(f.iot.send(new ListThingsCommand({ attributeName: 'site' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
  });
});

describe('UpdateThing', () => {
  it('replaces the attributes, or merges them, an empty value removing one; each update is a new version', async () => {
    await f.iot.send(
      new CreateThingCommand({ thingName: 'upd', attributePayload: { attributes: { a: '1', b: '2' } } }),
    );
    await f.iot.send(new UpdateThingCommand({ thingName: 'upd', attributePayload: { attributes: { c: '3' } } }));
    expect(await describeThing('upd')).toMatchObject({ attributes: { c: '3' }, version: 2 });
    await f.iot.send(
      new UpdateThingCommand({
        thingName: 'upd',
        attributePayload: { attributes: { d: '4', c: '' }, merge: true },
        expectedVersion: 2,
      }),
    );
    expect(await describeThing('upd')).toMatchObject({ attributes: { d: '4' }, version: 3 });
  });

  it("refuses an expected version that is not the thing's, and a thing that does not exist", async () => {
    await expect(
      f.iot.send(
        new UpdateThingCommand({ thingName: 'upd', attributePayload: { attributes: {} }, expectedVersion: 1 }),
      ),
    ).rejects.toBeInstanceOf(VersionConflictException);
    await expect(
      f.iot.send(new UpdateThingCommand({ thingName: 'nope', attributePayload: { attributes: {} } })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('DeleteThing', () => {
  it('removes the thing and its executions, so its job completes without it and a new thing of that name has no history', async () => {
    await f.iot.send(new CreateThingCommand({ thingName: 'gone' }));
    await f.iot.send(new CreateThingCommand({ thingName: 'stays' }));
    await f.iot.send(
      new CreateJobCommand({ jobId: 'del-job', targets: [thingArn('gone'), thingArn('stays')], document: '{}' }),
    );
    await f.device.send(new UpdateJobExecutionCommand({ thingName: 'stays', jobId: 'del-job', status: 'SUCCEEDED' }));

    await f.iot.send(new DeleteThingCommand({ thingName: 'gone' }));

    await expect(describeThing('gone')).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await f.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'gone' }))).executionSummaries).toEqual(
      [],
    );
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'del-job' }));
    expect(job).toMatchObject({
      status: 'COMPLETED',
      jobProcessDetails: { numberOfQueuedThings: 0, numberOfSucceededThings: 1 },
    });
    await f.iot.send(new CreateThingCommand({ thingName: 'gone' }));
    expect((await f.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'gone' }))).executionSummaries).toEqual(
      [],
    );
  });

  it("is no error for a thing that does not exist, and refuses an expected version that is not the thing's", async () => {
    await f.iot.send(new DeleteThingCommand({ thingName: 'never-was' }));
    await f.iot.send(new CreateThingCommand({ thingName: 'versioned' }));
    await expect(
      f.iot.send(new DeleteThingCommand({ thingName: 'versioned', expectedVersion: 7 })),
    ).rejects.toBeInstanceOf(VersionConflictException);
    await f.iot.send(new DeleteThingCommand({ thingName: 'versioned', expectedVersion: 1 }));
    await expect(describeThing('versioned')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('CreateJob and the registry', () => {
  it('refuses a target thing that is not registered, naming it, and creates nothing', async () => {
    await f.iot.send(new CreateThingCommand({ thingName: 'known' }));
    const error = await f.iot
      .send(
        new CreateJobCommand({
          jobId: 'needs-things',
          targets: [thingArn('known'), thingArn('unknown-1'), thingArn('unknown-2')],
          document: '{}',
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toContain('Thing unknown-1 (and 1 other target) is not registered');
    await expect(f.iot.send(new DescribeJobCommand({ jobId: 'needs-things' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect((await f.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'known' }))).executionSummaries).toEqual(
      [],
    );
  });

  it('targets them once they are registered', async () => {
    await f.iot.send(new CreateThingCommand({ thingName: 'unknown-1' }));
    await f.iot.send(new CreateThingCommand({ thingName: 'unknown-2' }));
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'needs-things',
        targets: [thingArn('known'), thingArn('unknown-1'), thingArn('unknown-2')],
        document: '{}',
      }),
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'needs-things' }))).job?.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 3,
    });
  });

  it('with implicitThings, targets any thing name, registered or not (the switch for fleets without a registry)', async () => {
    const open = await startWireFixture({ implicitThings: true });
    try {
      await open.iot.send(
        new CreateJobCommand({ jobId: 'any', targets: [thingArn('never-registered')], document: '{}' }),
      );
      expect((await open.iot.send(new DescribeJobCommand({ jobId: 'any' }))).job?.jobProcessDetails).toMatchObject({
        numberOfQueuedThings: 1,
      });
    } finally {
      await open.stop();
    }
  });
});

describe('the registry with the AWS CLI', () => {
  it('creates, describes, lists, updates and deletes a thing', async () => {
    expect(
      await cli('create-thing', '--thing-name', 'cli-thing', '--attribute-payload', 'attributes={room=lab}'),
    ).toMatchObject({ code: 0, json: { thingName: 'cli-thing' } });
    expect((await cli('describe-thing', '--thing-name', 'cli-thing')).json).toMatchObject({
      attributes: { room: 'lab' },
      version: 1,
    });
    expect(
      (await cli('list-things', '--attribute-name', 'room', '--attribute-value', 'lab')).json.things.map(
        (t: { thingName: string }) => t.thingName,
      ),
    ).toEqual(['cli-thing']);
    expect(
      (
        await cli(
          'update-thing',
          '--thing-name',
          'cli-thing',
          '--attribute-payload',
          'attributes={room=hall},merge=true',
          '--expected-version',
          '1',
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-thing', '--thing-name', 'cli-thing')).json).toMatchObject({
      attributes: { room: 'hall' },
      version: 2,
    });
    const stale = await cli('delete-thing', '--thing-name', 'cli-thing', '--expected-version', '1');
    expect(stale.stderr).toContain('(VersionConflictException)');
    expect((await cli('delete-thing', '--thing-name', 'cli-thing')).code).toBe(0);
    expect((await cli('describe-thing', '--thing-name', 'cli-thing')).stderr).toContain('(ResourceNotFoundException)');
  });
});
