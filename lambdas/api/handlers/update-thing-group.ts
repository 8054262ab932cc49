import { defineRoute } from '../define-route';
import { parseUpdateThingGroup } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('UpdateThingGroup', (services, request) =>
  services.groups.updateThingGroup(parseUpdateThingGroup(request)),
);
