import { defineRoute } from '../define-route';
import { parseCancelExecution } from '../requests/management-requests';

export const { handler, bind } = defineRoute('CancelJobExecution', (services, request) =>
  services.management.cancelExecution(parseCancelExecution(request)),
);
