import { parseDeleteExecution } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('DeleteJobExecution', (services, request) => services.management.deleteExecution(parseDeleteExecution(request)));
