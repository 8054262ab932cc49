import { defineRoute } from '../define-route';
import { parseJobTemplateId } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('DeleteJobTemplate', (services, request) =>
  services.templates.deleteJobTemplate(parseJobTemplateId(request)),
);
