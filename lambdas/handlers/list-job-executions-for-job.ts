import { parseListExecutionsForJob } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('ListJobExecutionsForJob', (request) => runtimeServices().management.listExecutionsForJob(parseListExecutionsForJob(request)));
