import { defineRoute } from '../define-route';
import { parseListThingTypes } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('ListThingTypes', (services, request) =>
  services.thingTypes.listThingTypes(parseListThingTypes(request)),
);
