import type { RouteDefinition } from '../route-definition';

/** The job template routes (management API), in the one route table. */
export const TEMPLATE_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'CreateJobTemplate',
    api: 'management',
    method: 'PUT',
    path: '/job-templates/{jobTemplateId}',
    handlerFile: 'create-job-template',
    // A conditional PutItem; from a job, that job read first (GetItem).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  },
  {
    operation: 'DescribeJobTemplate',
    api: 'management',
    method: 'GET',
    path: '/job-templates/{jobTemplateId}',
    handlerFile: 'describe-job-template',
    tableActions: ['dynamodb:GetItem'],
  },
  {
    operation: 'ListJobTemplates',
    api: 'management',
    method: 'GET',
    path: '/job-templates',
    handlerFile: 'list-job-templates',
    tableActions: ['dynamodb:Query'],
    queryIndex: 'registry',
  },
  {
    operation: 'DeleteJobTemplate',
    api: 'management',
    method: 'DELETE',
    path: '/job-templates/{jobTemplateId}',
    handlerFile: 'delete-job-template',
    tableActions: ['dynamodb:DeleteItem'],
  },
];
