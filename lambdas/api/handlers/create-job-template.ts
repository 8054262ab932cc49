import { parseCreateJobTemplate } from '../requests/job-template-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('CreateJobTemplate', (services, request) => services.templates.createJobTemplate(parseCreateJobTemplate(request)));
