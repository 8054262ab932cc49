import { defineRoute } from '../define-route';
import { parseMembership } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('AddThingToThingGroup', (services, request) =>
  services.groups.addThingToThingGroup(parseMembership(request)),
);
