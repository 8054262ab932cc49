import { defineRoute } from '../define-route';
import { parseDeprecateThingType } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('DeprecateThingType', (services, request) =>
  services.thingTypes.deprecateThingType(parseDeprecateThingType(request)),
);
