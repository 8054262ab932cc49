import { parseDeleteExecution } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('DeleteJobExecution', (request) => runtimeServices().management.deleteExecution(parseDeleteExecution(request)));
