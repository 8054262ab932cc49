import { parseListExecutionsForThing } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('ListJobExecutionsForThing', (services, request) => services.management.listExecutionsForThing(parseListExecutionsForThing(request)));
