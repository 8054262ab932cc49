import { parseMembership } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('AddThingToThingGroup', (services, request) => services.groups.addThingToThingGroup(parseMembership(request)));
