import { parseUpdate } from '../domain/device-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('UpdateJobExecution', (request) => runtimeServices().device.update(parseUpdate(request)));
