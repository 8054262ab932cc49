/**
 * The AWS IoT Jobs device contract over MQTT: the reserved request topics
 * under `$aws/things/<thing>/jobs/`, each turned into the HTTP device API's
 * request (so the same route handlers answer both), and the HTTP answer
 * turned back into AWS's `/accepted` or `/rejected` payload.
 */

export type JobsTopicRequest =
  | { thingName: string; operation: 'get' }
  | { thingName: string; operation: 'start-next' }
  | { thingName: string; operation: 'describe'; jobId: string }
  | { thingName: string; operation: 'update'; jobId: string };

const PREFIX = /^\$aws\/things\/([^/]+)\/jobs\/(.+)$/;

/**
 * The request a topic names, or undefined if it is not one of the jobs request topics (a reply topic, a notify topic).
 */
export function requestOfTopic(topic: string): JobsTopicRequest | undefined {
  const match = PREFIX.exec(topic);
  if (!match) return undefined;
  const [, thingName, rest] = match as unknown as [string, string, string];
  if (rest === 'get') return { thingName, operation: 'get' };
  if (rest === 'start-next') return { thingName, operation: 'start-next' };
  const job = /^([^/]+)\/(get|update)$/.exec(rest);
  if (!job) return undefined;
  return job[2] === 'get'
    ? { thingName, operation: 'describe', jobId: job[1]! }
    : { thingName, operation: 'update', jobId: job[1]! };
}

/** The topic a request's answer goes to. */
export function replyTopic(topic: string, accepted: boolean): string {
  return `${topic}/${accepted ? 'accepted' : 'rejected'}`;
}

/** The thing whose topics these are, for any topic or filter under `$aws/things/<thing>/`. */
export const thingOfTopic = (topic: string): string | undefined => /^\$aws\/things\/([^/+#]+)\//.exec(topic)?.[1];

/**
 * A describe's member as an HTTP query value: a primitive as its text, an object or array only as its kind (the
 * query's validation refuses it either way, and String() of a deeply nested array overflows the stack).
 */
const queryValue = (value: unknown): string =>
  typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);

/** A get's or describe's clientToken, as the query member the device API checks (a start-next's or update's is in
 * the body). */
const clientTokenQuery = (payload: Record<string, unknown>): Record<string, string> =>
  payload.clientToken !== undefined ? { clientToken: queryValue(payload.clientToken) } : {};

/**
 * The HTTP request of the device API that answers a topic request: the members a describe reads as its query, and
 * the payload (`body`, as the device published it) as the body of a start-next or an update, for the HTTP path to
 * parse and validate exactly as an HTTP body (its clientToken is a member the operation does not read).
 */
export function httpRequestOf(
  request: JobsTopicRequest,
  payload: Record<string, unknown>,
  body: string,
): { method: string; path: string; query: Record<string, string>; body?: string } {
  const thing = `/things/${encodeURIComponent(request.thingName)}/jobs`;
  switch (request.operation) {
    case 'get':
      return { method: 'GET', path: thing, query: clientTokenQuery(payload) };
    case 'start-next':
      return { method: 'PUT', path: `${thing}/$next`, query: {}, body };
    case 'describe': {
      const query = clientTokenQuery(payload);
      if (payload.includeJobDocument !== undefined) query.includeJobDocument = queryValue(payload.includeJobDocument);
      if (payload.executionNumber !== undefined) query.executionNumber = queryValue(payload.executionNumber);
      return { method: 'GET', path: `${thing}/${encodeURIComponent(request.jobId)}`, query };
    }
    case 'update':
      return { method: 'POST', path: `${thing}/${encodeURIComponent(request.jobId)}`, query: {}, body };
  }
}

/** AWS's MQTT error codes, by the HTTP API's error names. */
function codeOf(errorType: string | undefined, message: string): string {
  switch (errorType) {
    case 'InvalidRequestException':
      return 'InvalidRequest';
    case 'ResourceNotFoundException':
      return 'ResourceNotFound';
    case 'InvalidStateTransitionException':
      return message.startsWith('VersionMismatch') ? 'VersionMismatch' : 'InvalidStateTransition';
    case 'TerminalStateException':
      return 'TerminalStateReached';
    case 'ThrottlingException':
      return 'RequestThrottled';
    default:
      return 'InternalError';
  }
}

/**
 * Over MQTT a job document is embedded as JSON, not as the HTTP API's string:
 * the AWS IoT Device SDKs' jobs clients model it as an object, and their
 * samples read fields of it. A document that is not JSON stays a string.
 */
function embedded(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document) as unknown;
  } catch {
    return document;
  }
}

/** A payload whose `jobDocument` (at the top, or in its `execution`) is embedded as JSON. */
export function withEmbeddedDocuments(payload: Record<string, unknown>): Record<string, unknown> {
  const execution = payload.execution as Record<string, unknown> | undefined;
  return {
    ...payload,
    ...('jobDocument' in payload ? { jobDocument: embedded(payload.jobDocument) } : {}),
    ...(execution && 'jobDocument' in execution
      ? { execution: { ...execution, jobDocument: embedded(execution.jobDocument) } }
      : {}),
  };
}

/**
 * The MQTT reply to an HTTP answer: AWS's accepted payload (the answer's members), or its rejected one (code, message,
 * executionState).
 */
export function replyOf(
  answer: { statusCode: number; errorType?: string; body: Record<string, unknown> },
  clientToken: unknown,
  timestampSeconds: number,
): { accepted: boolean; payload: Record<string, unknown> } {
  const common = { timestamp: timestampSeconds, ...(typeof clientToken === 'string' ? { clientToken } : {}) };
  if (answer.statusCode < 300) return { accepted: true, payload: { ...withEmbeddedDocuments(answer.body), ...common } };
  const message = String(answer.body.message ?? answer.body.Message ?? 'The request was refused');
  return {
    accepted: false,
    payload: {
      code: codeOf(answer.errorType, message),
      message,
      ...(answer.body.executionState ? { executionState: answer.body.executionState } : {}),
      ...common,
    },
  };
}
