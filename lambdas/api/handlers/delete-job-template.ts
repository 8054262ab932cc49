import { parseJobTemplateId } from '../requests/job-template-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DeleteJobTemplate', (services, request) => services.templates.deleteJobTemplate(parseJobTemplateId(request)));
