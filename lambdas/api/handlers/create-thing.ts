import { defineRoute } from '../define-route';
import { parseCreateThing } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('CreateThing', (services, request) =>
  services.registry.createThing(parseCreateThing(request)),
);
