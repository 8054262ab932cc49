import { defineRoute } from '../define-route';
import { parseDeleteThing } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('DeleteThing', (services, request) =>
  services.registry.deleteThing(parseDeleteThing(request)),
);
