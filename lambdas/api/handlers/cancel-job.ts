import { defineRoute } from '../define-route';
import { parseCancelJob } from '../requests/management-requests';

export const { handler, bind } = defineRoute('CancelJob', (services, request) =>
  services.management.cancelJob(parseCancelJob(request)),
);
