import { parseUpdateJob } from '../requests/update-job-request';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('UpdateJob', (services, request) => services.management.updateJob(parseUpdateJob(request)));
