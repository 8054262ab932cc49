import { parseListJobs } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobs', (services, request) => services.management.listJobs(parseListJobs(request)));
