import { defineRoute } from '../define-route';
import { parseListThingGroupsForThing } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('ListThingGroupsForThing', (services, request) =>
  services.groups.listThingGroupsForThing(parseListThingGroupsForThing(request)),
);
