import { parseListThingGroups } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListThingGroups', (services, request) => services.groups.listThingGroups(parseListThingGroups(request)));
