import { defineRoute } from '../define-route';
import { parseListThingsInThingGroup } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('ListThingsInThingGroup', (services, request) =>
  services.groups.listThingsInThingGroup(parseListThingsInThingGroup(request)),
);
