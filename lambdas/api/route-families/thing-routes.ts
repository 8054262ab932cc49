import type { RouteDefinition } from '../route-definition';

/** The thing registry's routes (management API), in the one route table. */
export const THING_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'CreateThing',
    api: 'management',
    method: 'POST',
    path: '/things/{thingName}',
    handlerFile: 'create-thing',
    // A conditional PutItem; a thing that exists comes back with the refusal (ALL_OLD), no GetItem. With a thing type,
    // one transaction: the thing (PutItem) and the type's count of things (UpdateItem, only while it is not deprecated).
    tableActions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'DescribeThing',
    api: 'management',
    method: 'GET',
    path: '/things/{thingName}',
    handlerFile: 'describe-thing',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'ListThings',
    api: 'management',
    method: 'GET',
    path: '/things',
    handlerFile: 'list-things',
    // The thing type filter, as the attribute filter, is a FilterExpression on the registry's list of things.
    tableActions: ['dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'UpdateThing',
    api: 'management',
    method: 'PATCH',
    path: '/things/{thingName}',
    handlerFile: 'update-thing',
    // GetItem, then a conditional UpdateItem; a new thing type moves both types' counts in one transaction with it.
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'DeleteThing',
    api: 'management',
    method: 'DELETE',
    path: '/things/{thingName}',
    handlerFile: 'delete-thing',
    // Its deletion mark, the thing, then its executions and group memberships: read from its own partition (no index),
    // removed in batches. A thing with a type goes in a transaction with its type's count (UpdateItem).
    tableActions: [
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
    ],
  },
  {
    operation: 'CreateThingType',
    api: 'management',
    method: 'POST',
    path: '/thing-types/{thingTypeName}',
    handlerFile: 'create-thing-type',
    // A conditional PutItem; a type that exists comes back with the refusal (ALL_OLD).
    tableActions: ['dynamodb:PutItem'],
  },
  {
    operation: 'DescribeThingType',
    api: 'management',
    method: 'GET',
    path: '/thing-types/{thingTypeName}',
    handlerFile: 'describe-thing-type',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'ListThingTypes',
    api: 'management',
    method: 'GET',
    path: '/thing-types',
    handlerFile: 'list-thing-types',
    tableActions: ['dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'DeprecateThingType',
    api: 'management',
    method: 'POST',
    path: '/thing-types/{thingTypeName}/deprecate',
    handlerFile: 'deprecate-thing-type',
    tableActions: ['dynamodb:UpdateItem'],
  },
  {
    operation: 'UpdateThingType',
    api: 'management',
    method: 'PATCH',
    path: '/thing-types/{thingTypeName}',
    handlerFile: 'update-thing-type',
    tableActions: ['dynamodb:UpdateItem'],
  },
  {
    operation: 'DeleteThingType',
    api: 'management',
    method: 'DELETE',
    path: '/thing-types/{thingTypeName}',
    handlerFile: 'delete-thing-type',
    // A conditional DeleteItem (deprecated 5 minutes, no thing of it); refused, the type comes back to say why.
    tableActions: ['dynamodb:DeleteItem'],
  },
  {
    operation: 'CreateThingGroup',
    api: 'management',
    method: 'POST',
    path: '/thing-groups/{thingGroupName}',
    handlerFile: 'create-thing-group',
    // GetItem: the parent; a conditional PutItem, the group that exists coming back with the refusal.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  },
  {
    operation: 'DescribeThingGroup',
    api: 'management',
    method: 'GET',
    path: '/thing-groups/{thingGroupName}',
    handlerFile: 'describe-thing-group',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'ListThingGroups',
    api: 'management',
    method: 'GET',
    path: '/thing-groups',
    handlerFile: 'list-thing-groups',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'UpdateThingGroup',
    api: 'management',
    method: 'PATCH',
    path: '/thing-groups/{thingGroupName}',
    handlerFile: 'update-thing-group',
    // The group read, then written on the condition of the version read (the group as it stood back with a refusal).
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'DeleteThingGroup',
    api: 'management',
    method: 'DELETE',
    path: '/thing-groups/{thingGroupName}',
    handlerFile: 'delete-thing-group',
    // Its child groups and members from the registry index; each member out in a transaction (membership and the
    // thing's count).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    queryIndex: 'registry',
  },
  {
    operation: 'AddThingToThingGroup',
    api: 'management',
    method: 'PUT',
    path: '/thing-groups/addThingToThingGroup',
    handlerFile: 'add-thing-to-thing-group',
    // One transaction: the group (ConditionCheck), the membership (PutItem), the thing's count (UpdateItem); GetItem to
    // say why one was refused.
    tableActions: ['dynamodb:GetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'RemoveThingFromThingGroup',
    api: 'management',
    method: 'PUT',
    path: '/thing-groups/removeThingFromThingGroup',
    handlerFile: 'remove-thing-from-thing-group',
    tableActions: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'UpdateThingGroupsForThing',
    api: 'management',
    method: 'PUT',
    path: '/thing-groups/updateThingGroupsForThing',
    handlerFile: 'update-thing-groups-for-thing',
    // The thing, its groups and its memberships (its own partition, no index) read first; then each group left and
    // joined as RemoveThingFromThingGroup and AddThingToThingGroup do it, one transaction each.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    ],
  },
  {
    operation: 'ListThingsInThingGroup',
    api: 'management',
    method: 'GET',
    path: '/thing-groups/{thingGroupName}/things',
    handlerFile: 'list-things-in-thing-group',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'ListThingGroupsForThing',
    api: 'management',
    method: 'GET',
    path: '/things/{thingName}/thing-groups',
    handlerFile: 'list-thing-groups-for-thing',
    // The thing's own partition (no index).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  },
];
