import { defineRoute } from '../define-route';
import { parseCreateThingType } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('CreateThingType', (services, request) =>
  services.thingTypes.createThingType(parseCreateThingType(request)),
);
