import { defineRoute } from '../define-route';
import { parseListJobTemplates } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('ListJobTemplates', (services, request) =>
  services.templates.listJobTemplates(parseListJobTemplates(request)),
);
