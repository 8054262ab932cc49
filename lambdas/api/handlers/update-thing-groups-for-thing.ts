import { defineRoute } from '../define-route';
import { parseUpdateThingGroupsForThing } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('UpdateThingGroupsForThing', (services, request) =>
  services.groups.updateThingGroupsForThing(parseUpdateThingGroupsForThing(request)),
);
