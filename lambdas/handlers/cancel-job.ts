import { parseCancelJob } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('CancelJob', (services, request) => services.management.cancelJob(parseCancelJob(request)));
