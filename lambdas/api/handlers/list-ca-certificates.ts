import { defineRoute } from '../define-route';
import { parseListCas } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListCACertificates', (services, request) =>
  services.caCertificates.list(parseListCas(request)),
);
