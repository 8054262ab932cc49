import { parseCreateThingGroup } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('CreateThingGroup', (services, request) => services.groups.createThingGroup(parseCreateThingGroup(request)));
