import { parseThingGroupName } from '../requests/thing-group-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeThingGroup', (services, request) => services.groups.describeThingGroup(parseThingGroupName(request)));
