import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThingStore, ThingWriteOutcome } from '../../jobs/fleet/store';
import type { AttributeFilter, ThingRecord } from '../../jobs/fleet/thing';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { CONDITION, deleteAtVersion } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import { TableAccess, type DeleteParams, type Item, type PutParams, type QueryParams, type UpdateParams } from '../table/table-access';

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;

/** An empty attribute map is left out of the item (DynamoDB Streams readers trip over empty maps). */
export function toThingItem(thing: ThingRecord): Item {
  const { attributes, ...rest } = thing;
  return { ...keys.thing(thing.thingName), ...rest, ...(Object.keys(attributes).length ? { attributes } : {}), [LIST]: keys.thingList, [LIST_KEY]: thing.thingName };
}

export function fromThingItem(item: Item): ThingRecord {
  return {
    thingName: item.thingName as string,
    thingId: item.thingId as string,
    thingArn: item.thingArn as string,
    attributes: (item.attributes as Record<string, string> | undefined) ?? {},
    version: item.version as number,
    createdAt: item.createdAt as number,
  };
}

/** A new thing: only if no thing of that name exists. */
export const createThingParams = (thing: ThingRecord): PutParams => ({ Item: toThingItem(thing), ConditionExpression: CONDITION.absent });

/** New attributes and version + 1, only at the version the caller read (no other update came between). */
export function updateThingParams(thingName: string, attributes: Record<string, string>, seenVersion: number): UpdateParams {
  const empty = Object.keys(attributes).length === 0;
  return {
    Key: keys.thing(thingName),
    UpdateExpression: empty ? 'SET version = version + :one REMOVE attributes' : 'SET attributes = :attributes, version = version + :one',
    ConditionExpression: `${CONDITION.exists} AND version = :seenVersion`,
    ExpressionAttributeValues: { ...(empty ? {} : { ':attributes': attributes }), ':one': 1, ':seenVersion': seenVersion },
  };
}

/** The thing's item gone; with an expected version, only at that version. */
export const deleteThingParams = (thingName: string, expectedVersion: number | undefined): DeleteParams => deleteAtVersion(keys.thing(thingName), expectedVersion);

/** The registry in name order; an attribute filter applied as DynamoDB reads. */
export function thingListQuery(filter: AttributeFilter | undefined): QueryParams {
  return {
    IndexName: INDEX,
    KeyConditionExpression: `${LIST} = :list`,
    ExpressionAttributeValues: { ':list': keys.thingList, ...(filter ? { ':value': filter.value } : {}) },
    ...(filter
      ? {
          FilterExpression: filter.usePrefix ? 'begins_with(attributes.#name, :value)' : 'attributes.#name = :value',
          ExpressionAttributeNames: { '#name': filter.name },
        }
      : {}),
  };
}

export const thingListPageKey: PageKeyShape = {
  attributes: [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.thingList }),
};

/** The thing registry: `THING#<name>` / `THING`, in the thing's own partition beside its executions. */
export class DynamoThingStore implements ThingStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createThing(thing: ThingRecord): Promise<ThingWriteOutcome> {
    const outcome = await this.access.put(createThingParams(thing));
    return outcome.applied ? { applied: true, thing } : { applied: false, ...(outcome.item ? { current: fromThingItem(outcome.item) } : {}) };
  }

  async getThing(thingName: string): Promise<ThingRecord | undefined> {
    const item = await this.access.get(keys.thing(thingName));
    return item ? fromThingItem(item) : undefined;
  }

  missingThings(thingNames: readonly string[]): Promise<string[]> {
    return this.access.missing(thingNames, keys.thing, 'thingName');
  }

  async listThings(filter: AttributeFilter | undefined, page: PageQuery): Promise<Page<ThingRecord>> {
    const list = `things/${filter ? `${filter.name}/${filter.usePrefix ? 'prefix' : 'value'}/${filter.value}` : ''}`;
    const result = await this.access.queryPage(list, page, thingListQuery(filter), thingListPageKey);
    return { items: result.items.map(fromThingItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async updateThing(thingName: string, attributes: Record<string, string>, seenVersion: number): Promise<ThingWriteOutcome> {
    const outcome = await this.access.update(updateThingParams(thingName, attributes, seenVersion));
    if (outcome.applied) return { applied: true, thing: fromThingItem(outcome.item) };
    return { applied: false, ...(outcome.item ? { current: fromThingItem(outcome.item) } : {}) };
  }

  async deleteThing(thingName: string, expectedVersion: number | undefined) {
    const outcome = await this.access.delete(deleteThingParams(thingName, expectedVersion));
    if (outcome.applied) return { applied: true as const };
    return { applied: false as const, ...(outcome.item ? { current: fromThingItem(outcome.item) } : {}) };
  }
}
