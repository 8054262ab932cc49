import { parseListHistory } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobExecutionHistory', (services, request) => services.history.list(parseListHistory(request)));
