import { defineRoute } from '../define-route';
import { parseSearchIndex } from '../requests/indexing-requests';

export const { handler, bind } = defineRoute('SearchIndex', (services, request) =>
  services.indexing.searchIndex(parseSearchIndex(request)),
);
