import { parseCancelJob } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('CancelJob', (services, request) => services.management.cancelJob(parseCancelJob(request)));
