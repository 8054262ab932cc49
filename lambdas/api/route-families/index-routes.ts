import type { RouteDefinition } from '../route-definition';

/**
 * Fleet indexing's routes (management API), in the one route table. Deployed in a nested stack of their own, with the
 * dynamic thing groups to come: the API stack keeps its headroom under CloudFormation's 500 resources.
 */
const DEPLOYED_IN = 'FleetIndexRoutes';

export const INDEX_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'GetIndexingConfiguration',
    api: 'management',
    method: 'GET',
    path: '/indexing/config',
    handlerFile: 'get-indexing-configuration',
    tableActions: ['dynamodb:GetItem'],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'UpdateIndexingConfiguration',
    api: 'management',
    method: 'POST',
    path: '/indexing/config',
    handlerFile: 'update-indexing-configuration',
    // One UpdateItem of the halves given.
    tableActions: ['dynamodb:UpdateItem'],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'SearchIndex',
    api: 'management',
    method: 'POST',
    path: '/indices/search',
    handlerFile: 'search-index',
    // The configuration (GetItem), then one keyed read the query allows: a thing (GetItem), a group's members (Query,
    // registry index, each page's things by BatchGetItem), or the registry's list of things, from a name prefix or
    // whole (Query, registry index); each kept thing's groups from its own partition (Query, no index).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
    queryIndex: 'registry',
    deployedIn: DEPLOYED_IN,
  },
];
