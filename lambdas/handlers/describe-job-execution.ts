import { parseDescribe } from '../domain/device-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('DescribeJobExecution', (request) => runtimeServices().device.describe(parseDescribe(request)));
