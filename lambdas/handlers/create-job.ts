import { parseCreateJob } from '../domain/job';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('CreateJob', (request) => runtimeServices().management.createJob(parseCreateJob(request)));
