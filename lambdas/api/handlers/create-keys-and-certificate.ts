import { defineRoute } from '../define-route';
import { parseSetAsActive } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('CreateKeysAndCertificate', (services, request) =>
  services.issued.createKeysAndCertificate(parseSetAsActive(request)),
);
