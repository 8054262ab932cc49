import { parseCancelExecution } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('CancelJobExecution', (request) => runtimeServices().management.cancelExecution(parseCancelExecution(request)));
