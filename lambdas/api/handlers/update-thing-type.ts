import { defineRoute } from '../define-route';
import { parseUpdateThingType } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('UpdateThingType', (services, request) =>
  services.thingTypes.updateThingType(parseUpdateThingType(request)),
);
