import { defineRoute } from '../define-route';
import { parseListHistory } from '../requests/management-requests';

export const { handler, bind } = defineRoute('ListJobExecutionHistory', (services, request) =>
  services.history.list(parseListHistory(request)),
);
