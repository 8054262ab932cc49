import { listManagedJobTemplates } from '../../jobs/documents/managed-job-templates';
import { defineRoute } from '../define-route';
import { parseListManagedJobTemplates } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('ListManagedJobTemplates', async (services, request) =>
  listManagedJobTemplates(services.arns, parseListManagedJobTemplates(request)),
);
