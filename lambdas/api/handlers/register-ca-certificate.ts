import { defineRoute } from '../define-route';
import { parseRegisterCa } from '../requests/certificate-requests';

export const { handler, bind } = defineRoute('RegisterCACertificate', (services, request) =>
  services.caCertificates.register(parseRegisterCa(request)),
);
