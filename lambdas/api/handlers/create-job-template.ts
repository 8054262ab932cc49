import { withSourcedDocument } from '../../jobs/documents/document-source';
import { loadS3Sdk } from '../../s3/load-s3-sdk';
import { defineRoute } from '../define-route';
import { parseCreateJobTemplate } from '../requests/job-template-requests';

export const { handler, bind } = defineRoute(
  'CreateJobTemplate',
  async (services, request) =>
    services.templates.createJobTemplate(await withSourcedDocument(parseCreateJobTemplate(request), services.objects)),
  { s3Sdk: loadS3Sdk },
);
