import { defineRoute } from '../define-route';
import { parseUpdateIndexingConfiguration } from '../requests/indexing-requests';

export const { handler, bind } = defineRoute('UpdateIndexingConfiguration', (services, request) =>
  services.indexing.updateIndexingConfiguration(parseUpdateIndexingConfiguration(request)),
);
