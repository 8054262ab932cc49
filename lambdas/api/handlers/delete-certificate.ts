import { defineRoute } from '../define-route';
import { parseDeleteCertificate } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('DeleteCertificate', (services, request) =>
  services.certificates.delete(parseDeleteCertificate(request)),
);
