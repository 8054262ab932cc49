import { defineRoute } from '../define-route';
import { parseListExecutionsForJob } from '../requests/management-requests';

export const { handler, bind } = defineRoute('ListJobExecutionsForJob', (services, request) =>
  services.management.listExecutionsForJob(parseListExecutionsForJob(request)),
);
