import { defineRoute } from '../define-route';
import { parseListJobs } from '../requests/management-requests';

export const { handler, bind } = defineRoute('ListJobs', (services, request) =>
  services.management.listJobs(parseListJobs(request)),
);
