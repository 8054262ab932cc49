import { defineRoute } from '../define-route';
import { parseUpdate } from '../requests/device-requests';

export const { handler, bind } = defineRoute('UpdateJobExecution', (services, request) =>
  services.device.update(parseUpdate(request)),
);
