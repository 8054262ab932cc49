import { parseDescribe } from '../requests/device-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) => services.device.describe(parseDescribe(request)));
