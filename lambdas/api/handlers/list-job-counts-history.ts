import { defineRoute } from '../define-route';
import { parseListCountsHistory } from '../requests/management-requests';

export const { handler, bind } = defineRoute('ListJobCountsHistory', (services, request) =>
  services.countsHistory.list(parseListCountsHistory(request)),
);
