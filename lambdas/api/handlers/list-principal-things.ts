import { defineRoute } from '../define-route';
import { parseListPrincipalThings } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListPrincipalThings', (services, request) =>
  services.principals.listPrincipalThings(parseListPrincipalThings(request)),
);
