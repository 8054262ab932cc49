import { parseJobIdRequest } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('GetJobDocument', (request) => runtimeServices().management.getJobDocument(parseJobIdRequest(request)));
