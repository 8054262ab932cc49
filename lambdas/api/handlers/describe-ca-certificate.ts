import { defineRoute } from '../define-route';
import { parseCaCertificateId } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('DescribeCACertificate', (services, request) =>
  services.caCertificates.describe(parseCaCertificateId(request)),
);
