import { defineRoute } from '../define-route';
import { parseCaCertificateId } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('DeleteCACertificate', (services, request) =>
  services.caCertificates.delete(parseCaCertificateId(request)),
);
