import { withSourcedDocument } from '../../jobs/documents/document-source';
import { loadS3Sdk } from '../../s3/load-s3-sdk';
import { defineRoute } from '../define-route';
import { parseCreateJob } from '../requests/create-job-request';

// A 32768-character document, JSON-escaped, plus 1,000 target ARNs runs well past the device API's 64 KiB.
const CREATE_JOB_MAX_BODY_BYTES = 1024 * 1024;

export const { handler, bind } = defineRoute(
  'CreateJob',
  async (services, request) =>
    services.management.createJob(await withSourcedDocument(parseCreateJob(request), services.objects)),
  { maxBodyBytes: CREATE_JOB_MAX_BODY_BYTES, s3Sdk: loadS3Sdk },
);
