import { parseDeleteJob } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('DeleteJob', (services, request) => services.management.deleteJob(parseDeleteJob(request)));
