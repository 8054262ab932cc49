import { parseJobIdRequest } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeJob', (services, request) => services.management.describeJob(parseJobIdRequest(request)));
