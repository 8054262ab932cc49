import { parseListThingsInThingGroup } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListThingsInThingGroup', (services, request) => services.groups.listThingsInThingGroup(parseListThingsInThingGroup(request)));
