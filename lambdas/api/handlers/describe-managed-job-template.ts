import { describeManagedJobTemplate } from '../../jobs/documents/managed-job-templates';
import { defineRoute } from '../define-route';
import { parseDescribeManagedJobTemplate } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('DescribeManagedJobTemplate', async (services, request) =>
  describeManagedJobTemplate(services.arns, parseDescribeManagedJobTemplate(request)),
);
