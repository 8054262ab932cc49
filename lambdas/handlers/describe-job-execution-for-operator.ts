import { parseManagementDescribeExecution } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('DescribeJobExecution', (request) => runtimeServices().management.describeExecution(parseManagementDescribeExecution(request)));
