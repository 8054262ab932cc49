import { describe, expect, it } from 'vitest';
import type { ThingTypeRecord } from '../../lambdas/jobs/fleet/types/thing-type';
import {
  deleteThingTypeParams,
  fromThingTypeItem,
  setDeprecatedParams,
  thingTypeListQuery,
  toThingTypeItem,
  updatePropertiesParams,
} from '../../lambdas/store/registry/thing-type-items';
import { thingListQuery } from '../../lambdas/store/registry/things';
import {
  changeThingType,
  createTypedThing,
  deleteUntypedThingParams,
  typeRefusalOf,
} from '../../lambdas/store/registry/typed-thing-items';

/** The thing type requests, built offline: what each write guards with its condition. */
const type: ThingTypeRecord = {
  thingTypeName: 'Pump',
  thingTypeId: 'id-1',
  thingTypeArn: 'arn:aws:iot:us-east-1:123456789012:thingtype/Pump',
  properties: {
    thingTypeDescription: 'd',
    searchableAttributes: [],
    mqtt5Configuration: { propagatingAttributes: [] },
  },
  createdAt: 1,
  thingCount: 0,
};

describe('thing type items', () => {
  it('round-trip their properties as given, empty lists included, and sit in the registry list', () => {
    const item = toThingTypeItem(type);
    expect(item).toMatchObject({
      pk: 'THINGTYPE#Pump',
      sk: 'THINGTYPE',
      registryList: 'THINGTYPES',
      registryKey: 'Pump',
    });
    expect(fromThingTypeItem(item)).toEqual(type);
  });

  it('delete only a type deprecated by the cutoff with no thing left', () => {
    expect(deleteThingTypeParams('Pump', 1000)).toEqual({
      Key: { pk: 'THINGTYPE#Pump', sk: 'THINGTYPE' },
      ConditionExpression:
        'attribute_exists(pk) AND deprecatedAt <= :deprecatedBy AND (attribute_not_exists(thingCount) OR thingCount <= :none)',
      ExpressionAttributeValues: { ':deprecatedBy': 1000, ':none': 0 },
    });
  });

  it('keep the first deprecation date, remove it on undo, and set only the properties named', () => {
    expect(setDeprecatedParams('Pump', 5).UpdateExpression).toBe(
      'SET deprecatedAt = if_not_exists(deprecatedAt, :now)',
    );
    expect(setDeprecatedParams('Pump', undefined).UpdateExpression).toBe('REMOVE deprecatedAt');
    expect(updatePropertiesParams('Pump', { thingTypeDescription: 'x' })).toMatchObject({
      UpdateExpression: 'SET description = :description',
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(thingTypeListQuery('Pu').KeyConditionExpression).toBe(
      'registryList = :list AND begins_with(registryKey, :prefix)',
    );
  });
});

describe('the writes that give or take a thing type', () => {
  it('give a type only while it exists and is not deprecated, moving its count in the same transaction', () => {
    const [put, gain] = createTypedThing({ pk: 'THING#t1', sk: 'THING' }, 'Pump');
    expect(put).toMatchObject({ Put: { ConditionExpression: 'attribute_not_exists(pk)' } });
    expect(gain).toMatchObject({
      Update: {
        Key: { pk: 'THINGTYPE#Pump', sk: 'THINGTYPE' },
        UpdateExpression: 'ADD thingCount :one',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deprecatedAt)',
      },
    });
    const moved = changeThingType(
      { Key: { pk: 'THING#t1', sk: 'THING' }, UpdateExpression: 'SET x = :x' },
      { from: 'Old', to: 'Pump' },
    );
    expect(moved.map((item) => ('Update' in item ? item.Update.Key : undefined))).toEqual([
      { pk: 'THING#t1', sk: 'THING' },
      { pk: 'THINGTYPE#Pump', sk: 'THINGTYPE' },
      { pk: 'THINGTYPE#Old', sk: 'THINGTYPE' },
    ]);
  });

  it('tell a missing type from a deprecated one by the item the refusal brings back', () => {
    expect(typeRefusalOf(['None', 'ConditionalCheckFailed'], [undefined, undefined], 1)).toBe('missing');
    expect(typeRefusalOf(['None', 'ConditionalCheckFailed'], [undefined, { deprecatedAt: 1 }], 1)).toBe('deprecated');
    expect(typeRefusalOf(['None', 'TransactionConflict'], undefined, 1)).toBeUndefined();
  });

  it('delete a thing in one request only while it has no type, and list things by type with a filter', () => {
    expect(deleteUntypedThingParams('t1', 3)).toMatchObject({
      ConditionExpression: 'attribute_not_exists(thingTypeName) AND version = :expectedVersion',
    });
    expect(thingListQuery(undefined, 'Pump')).toMatchObject({
      FilterExpression: 'thingTypeName = :thingTypeName',
      ExpressionAttributeValues: { ':list': 'THINGS', ':thingTypeName': 'Pump' },
    });
  });
});
