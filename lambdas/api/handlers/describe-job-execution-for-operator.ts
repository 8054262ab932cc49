import { defineRoute } from '../define-route';
import { parseManagementDescribeExecution } from '../requests/management-requests';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) =>
  services.management.describeExecution(parseManagementDescribeExecution(request)),
);
