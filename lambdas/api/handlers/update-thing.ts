import { defineRoute } from '../define-route';
import { parseUpdateThing } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('UpdateThing', (services, request) =>
  services.registry.updateThing(parseUpdateThing(request)),
);
