import type { RouteDefinition } from './route-definition';

/** The thing registry's routes (management API), in the one route table. */
export const THING_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'CreateThing',
    api: 'management',
    method: 'POST',
    path: '/things/{thingName}',
    handlerFile: 'create-thing',
    // A conditional PutItem; a thing that exists comes back with the refusal (ALL_OLD), no GetItem.
    tableActions: ['dynamodb:PutItem'],
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
    tableActions: ['dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'UpdateThing',
    api: 'management',
    method: 'PATCH',
    path: '/things/{thingName}',
    handlerFile: 'update-thing',
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  {
    operation: 'DeleteThing',
    api: 'management',
    method: 'DELETE',
    path: '/things/{thingName}',
    handlerFile: 'delete-thing',
    // Its deletion mark, the thing, then its executions and group memberships: read from its own partition (no index),
    // removed in batches.
    tableActions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
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
