import { defineRoute } from '../define-route';
import { parseCertificateId } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('DescribeCertificate', (services, request) =>
  services.certificates.describe(parseCertificateId(request)),
);
