import { parseListExecutionsForJob } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobExecutionsForJob', (services, request) => services.management.listExecutionsForJob(parseListExecutionsForJob(request)));
