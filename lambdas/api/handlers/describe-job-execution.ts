import { loadS3Sdk } from '../../s3/load-s3-sdk';
import { defineRoute } from '../define-route';
import { parseDescribe } from '../requests/device-requests';

// Its answer carries the document, with presigned URLs made at delivery.
export const { handler, bind } = defineRoute(
  'DescribeJobExecution',
  (services, request) => services.device.describe(parseDescribe(request)),
  { s3Sdk: loadS3Sdk },
);
