import { defineRoute } from '../define-route';
import { parseDeleteExecution } from '../requests/management-requests';

export const { handler, bind } = defineRoute('DeleteJobExecution', (services, request) =>
  services.management.deleteExecution(parseDeleteExecution(request)),
);
