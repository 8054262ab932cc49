import { parseDescribe } from '../domain/device-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('DescribeJobExecution', (services, request) => services.device.describe(parseDescribe(request)));
