import { defineRoute } from '../define-route';
import { parseThingName } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('DescribeThing', (services, request) =>
  services.registry.describeThing(parseThingName(request)),
);
