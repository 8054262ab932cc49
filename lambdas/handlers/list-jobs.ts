import { parseListJobs } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('ListJobs', (services, request) => services.management.listJobs(parseListJobs(request)));
