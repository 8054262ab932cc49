import { parseDeleteThing } from '../requests/thing-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DeleteThing', (services, request) => services.registry.deleteThing(parseDeleteThing(request)));
