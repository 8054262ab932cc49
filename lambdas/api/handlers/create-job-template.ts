import { withSourcedDocument } from '../../jobs/documents/document-source';
import { defineRoute } from '../define-route';
import { parseCreateJobTemplate } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute('CreateJobTemplate', async (services, request) =>
  services.templates.createJobTemplate(await withSourcedDocument(parseCreateJobTemplate(request), services.objects)),
);
