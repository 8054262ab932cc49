/** What an SDK call's refusal was, by its error name and HTTP status; undefined when the call succeeded. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      status: e.$metadata?.httpStatusCode,
    }),
  );
