import type { RouteDefinition } from '../routes';

/**
 * The routes that touch S3 or a job's role, beside the table: read by the stack (their grants) and the infra tests.
 * CreateJob and CreateJobTemplate read a documentSource (s3:GetObject); the device routes that answer with a document
 * presign its URLs with the job's role (sts:AssumeRole).
 */
const READS_DOCUMENT_SOURCES = ['CreateJob', 'CreateJobTemplate'];
const DELIVERS_DOCUMENTS = ['DescribeJobExecution', 'StartNextPendingJobExecution', 'UpdateJobExecution'];

export const readsDocumentSources = (route: Pick<RouteDefinition, 'api' | 'operation'>): boolean =>
  route.api === 'management' && READS_DOCUMENT_SOURCES.includes(route.operation);

export const presignsDocumentUrls = (route: Pick<RouteDefinition, 'api' | 'operation'>): boolean =>
  route.api === 'device' && DELIVERS_DOCUMENTS.includes(route.operation);
