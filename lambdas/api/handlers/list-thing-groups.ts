import { defineRoute } from '../define-route';
import { parseListThingGroups } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('ListThingGroups', (services, request) =>
  services.groups.listThingGroups(parseListThingGroups(request)),
);
