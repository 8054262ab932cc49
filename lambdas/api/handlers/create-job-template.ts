import { defineRoute } from '../define-route';
import { parseCreateJobTemplate } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('CreateJobTemplate', (services, request) =>
  services.templates.createJobTemplate(parseCreateJobTemplate(request)),
);
