import { defineRoute } from '../define-route';
import { parseJobIdRequest } from '../requests/management-requests';

export const { handler, bind } = defineRoute('GetJobDocument', (services, request) =>
  services.management.getJobDocument(parseJobIdRequest(request)),
);
