import { defineRoute } from '../define-route';
import { parseDescribeEndpoint } from '../requests/management-requests';

export const { handler, bind } = defineRoute('DescribeEndpoint', async (services, request) =>
  services.describeEndpoint(parseDescribeEndpoint(request).endpointType),
);
