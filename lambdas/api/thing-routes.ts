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
    // The thing, then its executions: read from its own partition (no index), removed in batches.
    tableActions: ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
  },
];
