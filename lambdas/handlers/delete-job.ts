import { parseDeleteJob } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('DeleteJob', (request) => runtimeServices().management.deleteJob(parseDeleteJob(request)));
