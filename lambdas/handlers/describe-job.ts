import { parseJobIdRequest } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('DescribeJob', (services, request) => services.management.describeJob(parseJobIdRequest(request)));
