import { parseMembership } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('RemoveThingFromThingGroup', (services, request) => services.groups.removeThingFromThingGroup(parseMembership(request)));
