import { defineRoute } from '../define-route';
import { parseRegisterWithoutCa } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('RegisterCertificateWithoutCA', (services, request) =>
  services.certificates.registerWithoutCa(parseRegisterWithoutCa(request)),
);
