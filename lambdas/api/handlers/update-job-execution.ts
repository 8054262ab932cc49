import { loadS3Sdk } from '../../s3/load-s3-sdk';
import { defineRoute } from '../define-route';
import { parseUpdate } from '../requests/device-requests';

// Its answer may carry the document (includeJobDocument), with presigned URLs made at delivery.
export const { handler, bind } = defineRoute(
  'UpdateJobExecution',
  (services, request) => services.device.update(parseUpdate(request)),
  { s3Sdk: loadS3Sdk },
);
