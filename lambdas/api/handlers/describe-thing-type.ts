import { defineRoute } from '../define-route';
import { parseThingTypeName } from '../requests/thing-type-requests';

export const { handler, bind } = defineRoute('DescribeThingType', (services, request) =>
  services.thingTypes.describeThingType(parseThingTypeName(request)),
);
