import { parseUpdate } from '../domain/device-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('UpdateJobExecution', (services, request) => services.device.update(parseUpdate(request)));
