import { defineRoute } from '../define-route';
import { parseListThingPrincipals } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListThingPrincipals', (services, request) =>
  services.principals.listThingPrincipals(parseListThingPrincipals(request)),
);
