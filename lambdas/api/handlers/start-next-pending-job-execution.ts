import { NEXT_JOB_ID } from '../../jobs/device/inputs';
import { InvalidRequestException } from '../../jobs/shared/errors';
import { loadS3Sdk } from '../../s3/load-s3-sdk';
import { defineRoute } from '../define-route';
import { parseStartNext } from '../requests/device-requests';

// The route is PUT /things/{thingName}/jobs/{jobId} so that `$next` matches whether or not a client percent-encodes it.
export const { handler, bind } = defineRoute(
  'StartNextPendingJobExecution',
  async (services, request) => {
    if (request.path.jobId !== NEXT_JOB_ID)
      throw new InvalidRequestException(`jobId: PUT only starts ${NEXT_JOB_ID}; use POST to update a job execution`);
    return await services.device.startNext(parseStartNext(request));
  },
  // Its answer carries the document, with presigned URLs made at delivery.
  { s3Sdk: loadS3Sdk },
);
