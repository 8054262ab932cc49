import { parseManagementDescribeExecution } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) => services.management.describeExecution(parseManagementDescribeExecution(request)));
