import { defineRoute } from '../define-route';
import { parseUpdateJob } from '../requests/update-job-request';

export const { handler, bind } = defineRoute('UpdateJob', (services, request) =>
  services.management.updateJob(parseUpdateJob(request)),
);
