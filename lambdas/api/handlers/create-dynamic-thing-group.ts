import { defineRoute } from '../define-route';
import { parseCreateDynamicThingGroup } from '../requests/indexing-requests';

export const { handler, bind } = defineRoute('CreateDynamicThingGroup', (services, request) =>
  services.dynamicGroups.createDynamicThingGroup(parseCreateDynamicThingGroup(request)),
);
