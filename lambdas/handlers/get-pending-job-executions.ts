import { parseGetPending } from '../domain/device-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('GetPendingJobExecutions', (request) => runtimeServices().device.getPending(parseGetPending(request)));
