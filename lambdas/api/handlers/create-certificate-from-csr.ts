import { defineRoute } from '../define-route';
import { parseCreateFromCsr } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('CreateCertificateFromCsr', (services, request) =>
  services.issued.createCertificateFromCsr(parseCreateFromCsr(request)),
);
