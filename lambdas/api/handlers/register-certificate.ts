import { defineRoute } from '../define-route';
import { parseRegisterCertificate } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('RegisterCertificate', (services, request) =>
  services.certificates.register(parseRegisterCertificate(request)),
);
