import { defineRoute } from '../define-route';
import { parseUpdateDynamicThingGroup } from '../requests/indexing-requests';

export const { handler, bind } = defineRoute('UpdateDynamicThingGroup', (services, request) =>
  services.dynamicGroups.updateDynamicThingGroup(parseUpdateDynamicThingGroup(request)),
);
