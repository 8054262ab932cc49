import { defineRoute } from '../define-route';
import { parseJobIdRequest } from '../requests/management-requests';

export const { handler, bind } = defineRoute('DescribeJob', (services, request) =>
  services.management.describeJob(parseJobIdRequest(request)),
);
