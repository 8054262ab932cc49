import { defineRoute } from '../define-route';
import { parseThingName } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('GetThingConnectivityData', (services, request) =>
  services.indexing.getThingConnectivityData(parseThingName(request).thingName),
);
