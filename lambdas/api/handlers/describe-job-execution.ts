import { defineRoute } from '../define-route';
import { parseDescribe } from '../requests/device-requests';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) =>
  services.device.describe(parseDescribe(request)),
);
