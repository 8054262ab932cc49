import { parseListExecutionsForJob } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('ListJobExecutionsForJob', (services, request) => services.management.listExecutionsForJob(parseListExecutionsForJob(request)));
