import { parseThingName } from '../requests/thing-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeThing', (services, request) => services.registry.describeThing(parseThingName(request)));
