import type { RouteDefinition } from '../route-definition';

/**
 * AWS's managed job templates (management API), in the one route table. They are data of the service, not of the
 * table: their functions read nothing of it. Deployed in a nested stack of their own, with the document routes to
 * come, so the API stack keeps its headroom under CloudFormation's 500 resources.
 */
const DEPLOYED_IN = 'DocumentRoutes';

export const MANAGED_TEMPLATE_ROUTES: readonly RouteDefinition[] = [
  {
    operation: 'ListManagedJobTemplates',
    api: 'management',
    method: 'GET',
    path: '/managed-job-templates',
    handlerFile: 'list-managed-job-templates',
    tableActions: [],
    deployedIn: DEPLOYED_IN,
  },
  {
    operation: 'DescribeManagedJobTemplate',
    api: 'management',
    method: 'GET',
    path: '/managed-job-templates/{templateName}',
    handlerFile: 'describe-managed-job-template',
    tableActions: [],
    deployedIn: DEPLOYED_IN,
  },
];
