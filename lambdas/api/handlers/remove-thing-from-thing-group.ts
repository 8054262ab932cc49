import { defineRoute } from '../define-route';
import { parseMembership } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('RemoveThingFromThingGroup', (services, request) =>
  services.groups.removeThingFromThingGroup(parseMembership(request)),
);
