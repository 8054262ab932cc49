import { defineRoute } from '../define-route';
import { parseAssociateTargets } from '../requests/associate-targets-request';

export const { handler, bind } = defineRoute('AssociateTargetsWithJob', (services, request) =>
  services.management.associateTargets(parseAssociateTargets(request)),
);
