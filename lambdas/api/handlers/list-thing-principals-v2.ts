import { defineRoute } from '../define-route';
import { parseListThingPrincipals } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListThingPrincipalsV2', (services, request) =>
  services.principals.listThingPrincipalsV2(parseListThingPrincipals(request)),
);
