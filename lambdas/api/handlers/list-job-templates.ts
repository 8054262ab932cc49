import { parseListJobTemplates } from '../requests/job-template-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobTemplates', (services, request) => services.templates.listJobTemplates(parseListJobTemplates(request)));
