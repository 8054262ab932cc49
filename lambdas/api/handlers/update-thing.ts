import { parseUpdateThing } from '../requests/thing-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('UpdateThing', (services, request) => services.registry.updateThing(parseUpdateThing(request)));
