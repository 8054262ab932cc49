import { parseListExecutionsForThing } from '../domain/management-requests';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

export const handler = routeHandler('ListJobExecutionsForThing', (request) => runtimeServices().management.listExecutionsForThing(parseListExecutionsForThing(request)));
