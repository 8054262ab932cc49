import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectivityEvent } from '../../jobs/index/connectivity';
import type { ConnectivityStore } from '../../jobs/index/store';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import type { Item, UpdateParams } from '../table/table-params';

/**
 * The event set whole on the thing's item (`connectivity`): a registered thing only (UpdateItem would otherwise make a
 * half-item of a client ID that names none), and never over a later event (a write that trails another is dropped).
 * The thing's version is left as it is: connecting is not a change of the thing (UpdateThing's expectedVersion).
 */
export function recordConnectivityParams(thingName: string, event: ConnectivityEvent): UpdateParams {
  return {
    Key: keys.thing(thingName),
    UpdateExpression: 'SET #connectivity = :connectivity',
    ConditionExpression: `${CONDITION.exists} AND (attribute_not_exists(#connectivity) OR #connectivity.#timestamp <= :timestamp)`,
    ExpressionAttributeNames: { '#connectivity': 'connectivity', '#timestamp': 'timestamp' },
    ExpressionAttributeValues: { ':connectivity': event, ':timestamp': event.timestamp },
  };
}

/** The event a thing's item records, if any. */
export const recordedConnectivityOf = (item: Item): ConnectivityEvent | undefined =>
  item.connectivity as ConnectivityEvent | undefined;

export class DynamoConnectivityStore implements ConnectivityStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async recordConnectivity(thingName: string, event: ConnectivityEvent): Promise<void> {
    // Refused: no such thing, or a later event is there; either way there is nothing to record.
    await this.access.update(recordConnectivityParams(thingName, event));
  }

  async getConnectivity(thingName: string): Promise<{ recorded?: ConnectivityEvent } | undefined> {
    const item = await this.access.get(keys.thing(thingName));
    if (!item) return undefined;
    const recorded = recordedConnectivityOf(item);
    return recorded ? { recorded } : {};
  }
}
