import {
  CreateDynamicThingGroupCommand,
  DeleteDynamicThingGroupCommand,
  GetIndexingConfigurationCommand,
  InvalidRequestException,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/** Fleet indexing's configuration through @aws-sdk/client-iot and the AWS CLI. */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
});

afterAll(() => f?.stop());

describe('the indexing configuration', () => {
  it('starts as AWS starts an account: both indexes off', async () => {
    const config = await f.iot.send(new GetIndexingConfigurationCommand({}));
    expect(config.thingIndexingConfiguration).toEqual({
      thingIndexingMode: 'OFF',
      thingConnectivityIndexingMode: 'OFF',
    });
    expect(config.thingGroupIndexingConfiguration).toEqual({ thingGroupIndexingMode: 'OFF' });
  });

  it('turns the registry index on, and a later update of the other half leaves it on', async () => {
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }),
    );
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({
        thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' },
      }),
    );
    const config = await f.iot.send(new GetIndexingConfigurationCommand({}));
    expect(config.thingIndexingConfiguration?.thingIndexingMode).toBe('REGISTRY');
    expect(config.thingGroupIndexingConfiguration?.thingGroupIndexingMode).toBe('ON');
  });

  it.each([
    [{ thingIndexingMode: 'REGISTRY_AND_SHADOW' }, /no device shadows/],
    [{ thingIndexingMode: 'REGISTRY', namedShadowIndexingMode: 'ON' }, /no device shadows/],
    [{ thingIndexingMode: 'REGISTRY', deviceDefenderIndexingMode: 'VIOLATIONS' }, /Device Defender/],
    [{ thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS' }, /connectivity/],
    [{ thingIndexingMode: 'REGISTRY', customFields: [{ name: 'attributes.x', type: 'Number' }] }, /custom field/],
    [{ thingIndexingMode: 'SOMETIMES' }, /must be one of OFF, REGISTRY, REGISTRY_AND_SHADOW/],
  ] as const)('refuses %j by name, and keeps what it had', async (thingIndexingConfiguration, why) => {
    const refused = await f.iot
      .send(
        new UpdateIndexingConfigurationCommand({
          thingIndexingConfiguration: thingIndexingConfiguration as never,
        }),
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidRequestException);
    expect((refused as Error).message).toMatch(why);
    const config = await f.iot.send(new GetIndexingConfigurationCommand({}));
    expect(config.thingIndexingConfiguration?.thingIndexingMode).toBe('REGISTRY');
  });

  it('refuses an update that gives neither half', async () => {
    const refused = await f.iot.send(new UpdateIndexingConfigurationCommand({})).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidRequestException);
  });

  it('keeps the things index on while a dynamic thing group exists, its query needing it', async () => {
    await f.iot.send(
      new CreateDynamicThingGroupCommand({ thingGroupName: 'old-firmware', queryString: 'attributes.firmware < 3' }),
    );
    const off = { thingIndexingConfiguration: { thingIndexingMode: 'OFF' as const } };
    const refused = await f.iot.send(new UpdateIndexingConfigurationCommand(off)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidRequestException);
    expect((refused as Error).message).toMatch(/cannot be turned OFF while dynamic thing groups exist/);
    // Refused whole: the other half of the same update is not applied either.
    const both = { ...off, thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'OFF' as const } };
    expect(await f.iot.send(new UpdateIndexingConfigurationCommand(both)).catch((e: unknown) => e)).toBeInstanceOf(
      InvalidRequestException,
    );
    const byCli = await cli('update-indexing-configuration', '--thing-indexing-configuration', 'thingIndexingMode=OFF');
    expect(byCli.code).not.toBe(0);
    expect(byCli.stderr).toMatch(/InvalidRequestException/);
    const config = await f.iot.send(new GetIndexingConfigurationCommand({}));
    expect(config.thingIndexingConfiguration?.thingIndexingMode).toBe('REGISTRY');
    expect(config.thingGroupIndexingConfiguration?.thingGroupIndexingMode).toBe('ON');
    // The index stays REGISTRY, and turning it on again while it is on is no change to refuse.
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }),
    );
    await f.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'old-firmware' }));
  });

  it('answers the AWS CLI, which turns the index off again once no dynamic group is left', async () => {
    const updated = await cli(
      'update-indexing-configuration',
      '--thing-indexing-configuration',
      'thingIndexingMode=OFF',
    );
    expect(updated.code, updated.stderr).toBe(0);
    const config = await cli('get-indexing-configuration');
    expect(config.json.thingIndexingConfiguration.thingIndexingMode).toBe('OFF');
    expect(config.json.thingGroupIndexingConfiguration.thingGroupIndexingMode).toBe('ON');
  });
});
