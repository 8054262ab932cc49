import { parseGetPending } from '../domain/device-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('GetPendingJobExecutions', (services, request) => services.device.getPending(parseGetPending(request)));
