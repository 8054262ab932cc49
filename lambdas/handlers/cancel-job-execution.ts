import { parseCancelExecution } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('CancelJobExecution', (services, request) => services.management.cancelExecution(parseCancelExecution(request)));
