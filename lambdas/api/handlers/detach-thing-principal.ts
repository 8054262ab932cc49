import { defineRoute } from '../define-route';
import { parseThingPrincipal } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('DetachThingPrincipal', (services, request) =>
  services.principals.detach(parseThingPrincipal(request)),
);
