import { defineRoute } from '../define-route';
import { parseGetPending } from '../requests/device-requests';

export const { handler, bind } = defineRoute('GetPendingJobExecutions', (services, request) =>
  services.device.getPending(parseGetPending(request)),
);
