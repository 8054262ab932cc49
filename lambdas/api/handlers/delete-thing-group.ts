import { defineRoute } from '../define-route';
import { parseDeleteThingGroup } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('DeleteThingGroup', (services, request) =>
  services.groups.deleteThingGroup(parseDeleteThingGroup(request)),
);
