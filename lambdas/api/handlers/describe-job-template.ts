import { parseJobTemplateId } from '../requests/job-template-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('DescribeJobTemplate', (services, request) => services.templates.describeJobTemplate(parseJobTemplateId(request)));
