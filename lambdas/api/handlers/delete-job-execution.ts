import { parseDeleteExecution } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DeleteJobExecution', (services, request) => services.management.deleteExecution(parseDeleteExecution(request)));
