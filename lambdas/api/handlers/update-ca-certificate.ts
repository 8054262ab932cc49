import { defineRoute } from '../define-route';
import { parseUpdateCa } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('UpdateCACertificate', (services, request) =>
  services.caCertificates.update(parseUpdateCa(request)),
);
