import { Agent, request } from 'node:http';
import { check, type Operation } from '../workload/answer-check';
import { type OperationId, statusDetailsFor } from '../workload/workload';

/** A JSON request on a kept-alive connection: the status and the parsed answer. */
export type PlainSend = (
  method: string,
  path: string,
  body?: object,
) => Promise<{ status: number; body: Record<string, unknown> }>;

/**
 * A client as lean as HTTP gets (node:http, connections kept alive, no
 * signing, no SDK middleware), so what the service adds over its DynamoDB
 * calls shows without the device SDK's own cost on top.
 */
export function plainHttpClient(endpoint: string, maxSockets: number): { send: PlainSend; close(): void } {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send: PlainSend = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers:
            payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
              });
            } catch (error) {
              reject(error as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}

const thingPath = (thingName: string, jobId?: string) =>
  `/things/${encodeURIComponent(thingName)}/jobs${jobId === undefined ? '' : `/${encodeURIComponent(jobId)}`}`;

/** The device API's routes and bodies, as the device SDK would send them, each answer checked as the SDK's are. */
export function plainHttpOperations(send: PlainSend): Record<OperationId, Operation> {
  const versions = new Map<string, number>();
  const ok = async (method: string, path: string, body?: object) => {
    const answer = await send(method, path, body);
    check(answer.status === 200, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as {
      queuedJobs?: { jobId: string }[];
      execution?: { jobId: string; status: string };
      executionState?: { versionNumber: number };
    };
  };
  return {
    'get-pending': async (thingName, jobId) => {
      const answer = await ok('GET', thingPath(thingName));
      check(answer.queuedJobs?.[0]?.jobId === jobId, `${thingName}: ${jobId} first in the queue`);
    },
    'describe-next': async (thingName, jobId) => {
      const answer = await ok('GET', `${thingPath(thingName)}/$next`);
      check(answer.execution?.jobId === jobId, `${thingName}: $next is ${jobId}`);
    },
    'start-next': async (thingName, jobId) => {
      const answer = await ok('PUT', `${thingPath(thingName)}/$next`, {
        statusDetails: statusDetailsFor('start-next'),
      });
      check(
        answer.execution?.jobId === jobId && answer.execution.status === 'IN_PROGRESS',
        `${thingName}: started ${jobId}`,
      );
    },
    'update-in-progress': async (thingName, jobId) => {
      const answer = await ok('POST', thingPath(thingName, jobId), {
        status: 'IN_PROGRESS',
        statusDetails: statusDetailsFor('update-in-progress'),
        includeJobExecutionState: true,
      });
      check(answer.executionState?.versionNumber !== undefined, `${thingName}: version of ${jobId}`);
      versions.set(thingName, answer.executionState.versionNumber);
    },
    'describe-by-id': async (thingName, jobId) => {
      const answer = await ok('GET', thingPath(thingName, jobId));
      check(answer.execution?.status === 'IN_PROGRESS', `${thingName}: ${jobId} in progress`);
    },
    'update-succeeded': async (thingName, jobId) => {
      check(versions.has(thingName), `${thingName}: a version to expect`);
      await ok('POST', thingPath(thingName, jobId), {
        status: 'SUCCEEDED',
        statusDetails: statusDetailsFor('update-succeeded'),
        expectedVersion: versions.get(thingName),
      });
    },
  };
}
