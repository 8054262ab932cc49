import { defineRoute } from '../define-route';
import { parseListExecutionsForThing } from '../requests/management-requests';

export const { handler, bind } = defineRoute('ListJobExecutionsForThing', (services, request) =>
  services.management.listExecutionsForThing(parseListExecutionsForThing(request)),
);
