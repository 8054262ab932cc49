import { describe, expect, it } from 'vitest';
import { keys } from '../../lambdas/store/table/keys';
import { TableAccess } from '../../lambdas/store/table/table-access';
import { createServices } from '../support/services';

/** Connectivity on the thing's own item, on DynamoDB Local: one UpdateItem per event, registered things only. */
describe('recording connectivity', () => {
  it('keeps the last event on the thing, leaves its version, and drops an event older than the one there', async () => {
    const { services, stores, table } = await createServices({ implicitThings: false });
    await services.registry.createThing({ thingName: 'c-1', attributes: {} });
    table.commands.length = 0;
    await stores.connectivity.recordConnectivity('c-1', { connected: true, timestamp: 2_000 });
    expect(table.commands).toEqual(['UpdateItem']);
    await stores.connectivity.recordConnectivity('c-1', {
      connected: false,
      timestamp: 1_000,
      disconnectReason: 'CONNECTION_LOST',
    });
    expect(await stores.connectivity.getConnectivity('c-1')).toEqual({
      recorded: { connected: true, timestamp: 2_000 },
    });
    expect(await services.registry.describeThing({ thingName: 'c-1' })).toMatchObject({ version: 1 });
  });

  it('records nothing for a client ID that names no thing: no half-item is made of it', async () => {
    const { stores, table } = await createServices({ implicitThings: false });
    await stores.connectivity.recordConnectivity('nobody', { connected: true, timestamp: 1 });
    expect(await new TableAccess(table.client, table.tableName).get(keys.thing('nobody'))).toBeUndefined();
    expect(await stores.connectivity.getConnectivity('nobody')).toBeUndefined();
  });

  it('goes with the thing when it is deleted', async () => {
    const { services, stores } = await createServices({ implicitThings: false });
    await services.registry.createThing({ thingName: 'c-2', attributes: {} });
    await stores.connectivity.recordConnectivity('c-2', { connected: true, timestamp: 5 });
    await services.registry.deleteThing({ thingName: 'c-2' });
    await services.registry.createThing({ thingName: 'c-2', attributes: {} });
    expect(await stores.connectivity.getConnectivity('c-2')).toEqual({});
  });
});
