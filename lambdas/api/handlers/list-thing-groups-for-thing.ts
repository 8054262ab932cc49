import { parseListThingGroupsForThing } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListThingGroupsForThing', (services, request) => services.groups.listThingGroupsForThing(parseListThingGroupsForThing(request)));
