import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThingStore, ThingWriteOutcome, TypeChange } from '../../jobs/fleet/store';
import type { AttributeFilter, ThingRecord } from '../../jobs/fleet/thing';
import { ServiceUnavailableException } from '../../jobs/shared/errors';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { backOff, TableAccess } from '../table/table-access';
import { JOBS_TABLE } from '../table/table-design';
import type { Item, PutParams, QueryParams, UpdateParams } from '../table/table-params';
import {
  changeThingType,
  createTypedThing,
  deleteTypedThing,
  deleteUntypedThingParams,
  typeRefusalOf,
} from './typed-thing-items';

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;

/** Empty attributes left out (stream readers trip over empty maps); groupCount 0 tells a search it has no groups. */
export function toThingItem(thing: ThingRecord): Item {
  const { attributes, ...rest } = thing;
  return {
    ...keys.thing(thing.thingName),
    ...rest,
    ...(Object.keys(attributes).length ? { attributes } : {}),
    groupCount: 0,
    [LIST]: keys.thingList,
    [LIST_KEY]: thing.thingName,
  };
}

export function fromThingItem(item: Item): ThingRecord {
  return {
    thingName: item.thingName as string,
    thingId: item.thingId as string,
    thingArn: item.thingArn as string,
    attributes: (item.attributes as Record<string, string> | undefined) ?? {},
    ...(item.thingTypeName !== undefined ? { thingTypeName: item.thingTypeName as string } : {}),
    version: item.version as number,
    createdAt: item.createdAt as number,
  };
}

/** A new thing: only if no thing of that name exists. */
export const createThingParams = (thing: ThingRecord): PutParams => ({
  Item: toThingItem(thing),
  ConditionExpression: CONDITION.absent,
});

/**
 * New attributes and version + 1, only at the version the caller read (no other update came between); with a type
 * change, the new type set (or none: removed).
 */
export function updateThingParams(
  thingName: string,
  attributes: Record<string, string>,
  seenVersion: number,
  typeChange?: TypeChange,
): UpdateParams {
  const empty = Object.keys(attributes).length === 0;
  const set = [...(empty ? [] : ['attributes = :attributes']), 'version = version + :one'];
  const remove = empty ? ['attributes'] : [];
  if (typeChange?.to !== undefined) set.push('thingTypeName = :thingTypeName');
  else if (typeChange) remove.push('thingTypeName');
  return {
    Key: keys.thing(thingName),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: `${CONDITION.exists} AND version = :seenVersion`,
    ExpressionAttributeValues: {
      ...(empty ? {} : { ':attributes': attributes }),
      ...(typeChange?.to !== undefined ? { ':thingTypeName': typeChange.to } : {}),
      ':one': 1,
      ':seenVersion': seenVersion,
    },
  };
}

/**
 * How long a deletion mark is kept: far longer than a fan-out page takes from reading its members to checking them (a
 * worker runs 15 minutes at most).
 */
export const DELETION_MARK_SECONDS = 24 * 3600;

/** DeleteThing's mark, before the thing goes (the table's TTL removes it later). */
export const markDeletedParams = (thingName: string, now: number): PutParams => ({
  Item: {
    ...keys.deletedThing(thingName),
    thingName,
    deletedAt: now,
    expiresAt: Math.floor(now / 1000) + DELETION_MARK_SECONDS,
  },
});

/** The deletion marks of the things named from `first` to `last`, read strongly. */
export const deletionMarksQuery = (first: string, last: string): QueryParams => ({
  KeyConditionExpression: 'pk = :marks AND sk BETWEEN :first AND :last',
  ExpressionAttributeValues: {
    ':marks': keys.deletedThings,
    ':first': keys.deletedThing(first).sk,
    ':last': keys.deletedThing(last).sk,
  },
  ProjectionExpression: 'thingName',
  ConsistentRead: true,
});

/** The registry in name order; an attribute filter and a thing type filter applied as DynamoDB reads. */
export function thingListQuery(filter: AttributeFilter | undefined, thingTypeName?: string): QueryParams {
  const filters = [
    ...(filter ? [filter.usePrefix ? 'begins_with(attributes.#name, :value)' : 'attributes.#name = :value'] : []),
    ...(thingTypeName !== undefined ? ['thingTypeName = :thingTypeName'] : []),
  ];
  return {
    IndexName: INDEX,
    KeyConditionExpression: `${LIST} = :list`,
    ExpressionAttributeValues: {
      ':list': keys.thingList,
      ...(filter ? { ':value': filter.value } : {}),
      ...(thingTypeName !== undefined ? { ':thingTypeName': thingTypeName } : {}),
    },
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ...(filter ? { ExpressionAttributeNames: { '#name': filter.name } } : {}),
  };
}

export const thingListPageKey: PageKeyShape = {
  attributes: [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.thingList }),
};

/** Tries of a thing's write with its type's count that keeps meeting other writes (DynamoDB's TransactionConflict). */
const TYPED_WRITE_ATTEMPTS = 8;
const busy = () => new ServiceUnavailableException('The thing and its type kept meeting other writes; retry');

/** The thing registry: `THING#<name>` / `THING`, in the thing's own partition beside its executions. */
export class DynamoThingStore implements ThingStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createThing(thing: ThingRecord, attempt = 1): Promise<ThingWriteOutcome> {
    if (thing.thingTypeName !== undefined) {
      const outcome = await this.access.transactWrite(createTypedThing(toThingItem(thing), thing.thingTypeName));
      if (outcome.applied) return { applied: true, thing };
      const current = outcome.items?.[0];
      const typeRefusal = typeRefusalOf(outcome.reasons, outcome.items, 1);
      if (!current && !typeRefusal) {
        // Another write to the thing or its type came at the same moment: try again, a few times.
        if (attempt === TYPED_WRITE_ATTEMPTS) throw busy();
        await backOff(attempt);
        return this.createThing(thing, attempt + 1);
      }
      return {
        applied: false,
        ...(current ? { current: fromThingItem(current) } : {}),
        ...(typeRefusal ? { typeRefusal } : {}),
      };
    }
    const outcome = await this.access.put(createThingParams(thing));
    return outcome.applied
      ? { applied: true, thing }
      : { applied: false, ...(outcome.item ? { current: fromThingItem(outcome.item) } : {}) };
  }

  async getThing(thingName: string): Promise<ThingRecord | undefined> {
    const item = await this.access.get(keys.thing(thingName));
    return item ? fromThingItem(item) : undefined;
  }

  missingThings(thingNames: readonly string[]): Promise<string[]> {
    return this.access.missing(thingNames, keys.thing, 'thingName');
  }

  async markDeleted(thingName: string, now: number): Promise<void> {
    await this.access.put(markDeletedParams(thingName, now));
  }

  async markedDeleted(thingNames: readonly string[]): Promise<string[]> {
    if (!thingNames.length) return [];
    // One range read from the first name to the last: the marks in between that are not of these things are skipped
    // (a page from a group list is a run of names; a job's named things may span more, and read a day's marks at most).
    const sorted = [...thingNames].sort();
    const marks = await this.access.queryAll(deletionMarksQuery(sorted[0]!, sorted[sorted.length - 1]!));
    const wanted = new Set(thingNames);
    return marks.map((mark) => mark.thingName as string).filter((thingName) => wanted.has(thingName));
  }

  async listThings(
    filter: AttributeFilter | undefined,
    page: PageQuery,
    thingTypeName?: string,
  ): Promise<Page<ThingRecord>> {
    const list =
      `things/${filter ? `${filter.name}/${filter.usePrefix ? 'prefix' : 'value'}/${filter.value}` : ''}` +
      `${thingTypeName !== undefined ? `/type/${thingTypeName}` : ''}`;
    const result = await this.access.queryPage(list, page, thingListQuery(filter, thingTypeName), thingListPageKey);
    return { items: result.items.map(fromThingItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async updateThing(
    thingName: string,
    attributes: Record<string, string>,
    seenVersion: number,
    typeChange?: TypeChange,
  ): Promise<ThingWriteOutcome> {
    const params = updateThingParams(thingName, attributes, seenVersion, typeChange);
    if (typeChange) {
      const outcome = await this.access.transactWrite(changeThingType(params, typeChange));
      if (outcome.applied) return { applied: true };
      const current = outcome.items?.[0];
      // The thing changed since it was read: the rules read it again (the type's refusal may no longer apply).
      if (outcome.reasons[0] === 'ConditionalCheckFailed')
        return { applied: false, ...(current ? { current: fromThingItem(current) } : {}) };
      const typeRefusal = typeRefusalOf(outcome.reasons, outcome.items, 1);
      if (typeRefusal && typeChange.to !== undefined) return { applied: false, typeRefusal };
      // Another write came at the same moment: the rules read the thing again and try again.
      const now = await this.getThing(thingName);
      return { applied: false, ...(now ? { current: now } : {}) };
    }
    const outcome = await this.access.update(params);
    if (outcome.applied) return { applied: true, thing: fromThingItem(outcome.item) };
    return { applied: false, ...(outcome.item ? { current: fromThingItem(outcome.item) } : {}) };
  }

  async deleteThing(
    thingName: string,
    expectedVersion: number | undefined,
    attempt = 1,
  ): Promise<{ applied: true } | { applied: false; current?: ThingRecord }> {
    const outcome = await this.access.delete(deleteUntypedThingParams(thingName, expectedVersion));
    if (outcome.applied) return { applied: true };
    const current = outcome.item ? fromThingItem(outcome.item) : undefined;
    if (current?.thingTypeName === undefined || (expectedVersion !== undefined && current.version !== expectedVersion))
      return { applied: false, ...(current ? { current } : {}) };
    // A thing with a type: deleted as read, with its type's count; changed meanwhile, try again.
    const typed = await this.access.transactWrite(
      deleteTypedThing({ ...current, thingTypeName: current.thingTypeName }),
    );
    if (typed.applied) return { applied: true };
    if (attempt === TYPED_WRITE_ATTEMPTS) throw busy();
    await backOff(attempt);
    return this.deleteThing(thingName, expectedVersion, attempt + 1);
  }
}
