import { parseDeleteJob } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DeleteJob', (services, request) => services.management.deleteJob(parseDeleteJob(request)));
