import { parseListJobs } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('ListJobs', (request) => runtimeServices().management.listJobs(parseListJobs(request)));
