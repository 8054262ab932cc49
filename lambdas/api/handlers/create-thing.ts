import { parseCreateThing } from '../requests/thing-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('CreateThing', (services, request) => services.registry.createThing(parseCreateThing(request)));
