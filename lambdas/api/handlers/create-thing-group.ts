import { defineRoute } from '../define-route';
import { parseCreateThingGroup } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('CreateThingGroup', (services, request) =>
  services.groups.createThingGroup(parseCreateThingGroup(request)),
);
