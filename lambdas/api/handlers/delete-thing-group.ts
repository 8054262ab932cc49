import { parseDeleteThingGroup } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DeleteThingGroup', (services, request) => services.groups.deleteThingGroup(parseDeleteThingGroup(request)));
