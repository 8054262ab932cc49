import { defineRoute } from '../define-route';
import { parseAttach } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('AttachThingPrincipal', (services, request) =>
  services.principals.attach(parseAttach(request)),
);
