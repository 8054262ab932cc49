import { parseJobIdRequest } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('GetJobDocument', (services, request) => services.management.getJobDocument(parseJobIdRequest(request)));
