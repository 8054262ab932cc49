import { parseCancelJob } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('CancelJob', (request) => runtimeServices().management.cancelJob(parseCancelJob(request)));
