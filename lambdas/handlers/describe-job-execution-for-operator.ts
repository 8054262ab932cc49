import { parseManagementDescribeExecution } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) => services.management.describeExecution(parseManagementDescribeExecution(request)));
