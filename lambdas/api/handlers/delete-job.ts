import { defineRoute } from '../define-route';
import { parseDeleteJob } from '../requests/management-requests';

export const { handler, bind } = defineRoute('DeleteJob', (services, request) =>
  services.management.deleteJob(parseDeleteJob(request)),
);
