import { parseListExecutionsForThing } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobExecutionsForThing', (services, request) => services.management.listExecutionsForThing(parseListExecutionsForThing(request)));
