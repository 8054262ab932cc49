import { defineRoute } from '../define-route';
import { parseListCertificates } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListCertificates', (services, request) =>
  services.certificates.list(parseListCertificates(request)),
);
