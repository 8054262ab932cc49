import { defineRoute } from '../define-route';
import { parseDeleteThing } from '../requests/thing-requests';

export const { handler, bind } = defineRoute('DeleteThing', async (services, request) => {
  const input = parseDeleteThing(request);
  // AWS refuses to delete a thing that certificates are still attached to.
  await services.principals.refuseWhileAttached(input.thingName);
  return services.registry.deleteThing(input);
});
