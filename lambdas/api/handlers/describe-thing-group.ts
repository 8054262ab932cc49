import { defineRoute } from '../define-route';
import { parseThingGroupName } from '../requests/thing-group-requests';

export const { handler, bind } = defineRoute('DescribeThingGroup', (services, request) =>
  services.groups.describeThingGroup(parseThingGroupName(request)),
);
