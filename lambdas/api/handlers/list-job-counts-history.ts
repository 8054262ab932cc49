import { parseListCountsHistory } from '../requests/management-requests';
import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('ListJobCountsHistory', (services, request) => services.countsHistory.list(parseListCountsHistory(request)));
