import type { RouteDefinition } from '../route-definition';

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
  {
    operation: 'ListJobCountsHistory',
    api: 'management',
    method: 'GET',
    path: '/history/jobs/{jobId}',
    handlerFile: 'list-job-counts-history',
    // The job item (which incarnation is current), then its points.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    // Points are written off the table's stream, with the counts.
    showsAggregates: true,
  },
];
