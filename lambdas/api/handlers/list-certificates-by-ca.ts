import { defineRoute } from '../define-route';
import { parseListByCa } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('ListCertificatesByCA', (services, request) =>
  services.certificates.listByCa(parseListByCa(request)),
);
