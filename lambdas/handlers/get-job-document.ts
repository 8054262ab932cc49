import { parseJobIdRequest } from '../domain/management-requests';
import { defineRoute } from '../route-binding';

export const { handler, bind } = defineRoute('GetJobDocument', (services, request) => services.management.getJobDocument(parseJobIdRequest(request)));
