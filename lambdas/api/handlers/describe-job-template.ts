import { defineRoute } from '../define-route';
import { parseJobTemplateId } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('DescribeJobTemplate', (services, request) =>
  services.templates.describeJobTemplate(parseJobTemplateId(request)),
);
