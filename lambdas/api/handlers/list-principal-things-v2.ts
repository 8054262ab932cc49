import { defineRoute } from '../define-route';
import { parseListPrincipalThings } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListPrincipalThingsV2', (services, request) =>
  services.principals.listPrincipalThingsV2(parseListPrincipalThings(request)),
);
