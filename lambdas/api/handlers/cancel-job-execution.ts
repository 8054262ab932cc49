import { parseCancelExecution } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('CancelJobExecution', (services, request) => services.management.cancelExecution(parseCancelExecution(request)));
