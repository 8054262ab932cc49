import { defineRoute } from '../define-route';
import { parseListThings } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('ListThings', (services, request) =>
  services.registry.listThings(parseListThings(request)),
);
