import { parseUpdate } from '../requests/device-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('UpdateJobExecution', (services, request) => services.device.update(parseUpdate(request)));
