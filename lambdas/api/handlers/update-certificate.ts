import { defineRoute } from '../define-route';
import { parseUpdateCertificate } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('UpdateCertificate', (services, request) =>
  services.certificates.update(parseUpdateCertificate(request)),
);
