import { parseGetPending } from '../requests/device-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('GetPendingJobExecutions', (services, request) => services.device.getPending(parseGetPending(request)));
