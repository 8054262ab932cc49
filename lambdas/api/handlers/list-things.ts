import { parseListThings } from '../requests/thing-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListThings', (services, request) => services.registry.listThings(parseListThings(request)));
