import { defineRoute } from '../define-route';
import { parseThingTypeName } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('DeleteThingType', (services, request) =>
  services.thingTypes.deleteThingType(parseThingTypeName(request)),
);
