import { parseAssociateTargets } from '../requests/associate-targets-request';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('AssociateTargetsWithJob', (services, request) => services.management.associateTargets(parseAssociateTargets(request)));
