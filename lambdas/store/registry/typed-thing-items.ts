import type { TypeChange } from '../../jobs/fleet/store';
import type { ThingRecord } from '../../jobs/fleet/thing';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { DeleteParams, TransactParams, UpdateParams } from '../table/table-params';

/**
 * The writes that give a thing a thing type or take it away: each one transaction with the type's item, whose count
 * of things moves with it, so that DeleteThingType's condition on the count sees every thing of the type.
 */

/** The type exists and is not deprecated: what a thing given it checks (AWS refuses new things of a deprecated type). */
const TYPE_ASSIGNABLE = `${CONDITION.exists} AND attribute_not_exists(deprecatedAt)`;

/** One more thing of the type, only while the type may be given. */
export const typeGainsThingParams = (thingTypeName: string): UpdateParams => ({
  Key: keys.thingType(thingTypeName),
  UpdateExpression: 'ADD thingCount :one',
  ConditionExpression: TYPE_ASSIGNABLE,
  ExpressionAttributeValues: { ':one': 1 },
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
});

/** One thing fewer of the type; the type exists (it cannot be deleted while the thing has it). */
export const typeLosesThingParams = (thingTypeName: string): UpdateParams => ({
  Key: keys.thingType(thingTypeName),
  UpdateExpression: 'ADD thingCount :minusOne',
  ConditionExpression: CONDITION.exists,
  ExpressionAttributeValues: { ':minusOne': -1 },
});

/** Which of a transaction's type writes refused it, and why: none, a type that does not exist, or one deprecated. */
export function typeRefusalOf(
  reasons: readonly (string | undefined)[],
  items: readonly (Record<string, unknown> | undefined)[] | undefined,
  typeIndex: number,
): 'missing' | 'deprecated' | undefined {
  if (reasons[typeIndex] !== 'ConditionalCheckFailed') return undefined;
  return items?.[typeIndex] ? 'deprecated' : 'missing';
}

/** CreateThing of a thing with a type: the thing (only if no thing of the name exists) and its type's count. */
export const createTypedThing = (thingItem: Record<string, unknown>, thingTypeName: string): TransactParams[] => [
  {
    Put: { Item: thingItem, ConditionExpression: CONDITION.absent, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
  },
  { Update: typeGainsThingParams(thingTypeName) },
];

/** UpdateThing that changes a thing's type: the thing's update (at the version read), and both types' counts. */
export function changeThingType(thingUpdate: UpdateParams, change: TypeChange): TransactParams[] {
  const { ReturnValues: _returnValues, ...update } = thingUpdate;
  return [
    { Update: { ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ...(change.to !== undefined ? [{ Update: typeGainsThingParams(change.to) }] : []),
    ...(change.from !== undefined ? [{ Update: typeLosesThingParams(change.from) }] : []),
  ];
}

/**
 * DeleteThing's first try: the thing deleted only if it has no type (at the version expected, if one is); one that has
 * comes back (ALL_OLD) and goes in a transaction with its type's count instead.
 */
export function deleteUntypedThingParams(thingName: string, expectedVersion: number | undefined): DeleteParams {
  return {
    Key: keys.thing(thingName),
    ConditionExpression: `attribute_not_exists(thingTypeName)${expectedVersion !== undefined ? ' AND version = :expectedVersion' : ''}`,
    ...(expectedVersion !== undefined ? { ExpressionAttributeValues: { ':expectedVersion': expectedVersion } } : {}),
  };
}

/** A thing with a type deleted as it was read (its version, its type), and its type's count one less. */
export const deleteTypedThing = (thing: ThingRecord & { thingTypeName: string }): TransactParams[] => [
  {
    Delete: {
      Key: keys.thing(thing.thingName),
      ConditionExpression: 'version = :version AND thingTypeName = :thingTypeName',
      ExpressionAttributeValues: { ':version': thing.version, ':thingTypeName': thing.thingTypeName },
    },
  },
  { Update: typeLosesThingParams(thing.thingTypeName) },
];
