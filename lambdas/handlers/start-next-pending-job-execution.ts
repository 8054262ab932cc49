import { NEXT_JOB_ID, parseStartNext } from '../domain/device-requests';
import { InvalidRequestException } from '../domain/errors';
import { routeHandler } from '../http/route-handler';
import { runtimeServices } from '../runtime';

// The route is PUT /things/{thingName}/jobs/{jobId} so that `$next` matches whether or not a client percent-encodes it.
export const handler = routeHandler('StartNextPendingJobExecution', async (request) => {
  if (request.path.jobId !== NEXT_JOB_ID) throw new InvalidRequestException(`jobId: PUT only starts ${NEXT_JOB_ID}; use POST to update a job execution`);
  return runtimeServices().device.startNext(parseStartNext(request));
});
