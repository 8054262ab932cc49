import type { RouteDefinition } from './route-definition';

/**
 * Our extension of the management API, on a path AWS does not use (under
 * `/history`), signed and authorized like every other management route.
 */
export const HISTORY_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'ListJobExecutionHistory',
    api: 'management',
    method: 'GET',
    path: '/history/things/{thingName}',
    handlerFile: 'list-job-execution-history',
    tableActions: ['dynamodb:Query'],
    // Entries are written off the table's stream.
    showsAggregates: true,
  },
];
