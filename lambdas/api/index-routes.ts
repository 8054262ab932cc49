import type { RouteDefinition } from './route-definition';

/** Fleet indexing's routes (management API), in the one route table. */
export const INDEX_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'GetIndexingConfiguration',
    api: 'management',
    method: 'GET',
    path: '/indexing/config',
    handlerFile: 'get-indexing-configuration',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'UpdateIndexingConfiguration',
    api: 'management',
    method: 'POST',
    path: '/indexing/config',
    handlerFile: 'update-indexing-configuration',
    // One UpdateItem of the halves given.
    tableActions: ['dynamodb:UpdateItem'],
  },
];
