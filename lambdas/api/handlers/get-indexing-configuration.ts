import { defineRoute } from '../define-route';

export const { handler, bind } = defineRoute('GetIndexingConfiguration', (services) =>
  services.indexing.getIndexingConfiguration(),
);
