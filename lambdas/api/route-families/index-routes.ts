import type { RouteDefinition } from '../route-definition';

/**
 * Fleet indexing's routes (management API), in the one route table, and the dynamic thing groups' (a query of the
 * index each). Deployed in a nested stack of their own: the API stack keeps its headroom under CloudFormation's 500
 * resources.
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
    // One UpdateItem of the halves given; turning the things index OFF, one transaction: that UpdateItem and a
    // ConditionCheckItem of the count of dynamic groups (none may exist).
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
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
  {
    operation: 'GetThingConnectivityData',
    api: 'management',
    method: 'POST',
    path: '/things/{thingName}/connectivity-data',
    handlerFile: 'get-thing-connectivity-data',
    // The configuration and the thing, whose item holds its connectivity (GetItem each).
    tableActions: ['dynamodb:GetItem'],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'CreateDynamicThingGroup',
    api: 'management',
    method: 'POST',
    path: '/dynamic-thing-groups/{thingGroupName}',
    handlerFile: 'create-dynamic-thing-group',
    // The configuration (GetItem); one transaction: the group and its listing (PutItem), the count of dynamic groups
    // (UpdateItem, under the quota), the things index still on (ConditionCheckItem); a group that exists read back with
    // the refusal. Its build runs off the stream.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'UpdateDynamicThingGroup',
    api: 'management',
    method: 'PATCH',
    path: '/dynamic-thing-groups/{thingGroupName}',
    handlerFile: 'update-dynamic-thing-group',
    // The group and the configuration (GetItem); one transaction: the group (UpdateItem, at the version read) and its
    // listing (PutItem).
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'DeleteDynamicThingGroup',
    api: 'management',
    method: 'DELETE',
    path: '/dynamic-thing-groups/{thingGroupName}',
    handlerFile: 'delete-dynamic-thing-group',
    // The group (GetItem); its mark, its listing out and the count (one transaction); its members from the registry
    // index (Query), each out with the group's count of members (DeleteItem, UpdateItem); then the group.
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndex: 'registry',
    deployedIn: DEPLOYED_IN,
  },
];
