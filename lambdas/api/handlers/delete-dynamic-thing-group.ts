import { defineRoute } from '../define-route';
import { parseDeleteThingGroup } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('DeleteDynamicThingGroup', (services, request) =>
  services.dynamicGroups.deleteDynamicThingGroup(parseDeleteThingGroup(request)),
);
