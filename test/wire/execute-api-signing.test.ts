import { IoTClient, type IoTClientConfig, ListJobsCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT_CONFIG, startWireFixture, type WireFixture } from '../support/local-service';

/**
 * The README's recipe for the deployed management API, whose IAM
 * authorization checks SigV4 signatures made for `execute-api`: the stock
 * client signs for `iot`, so it is told the signing name.
 */
const EXECUTE_API_SIGNING: Partial<IoTClientConfig> = {
  httpAuthSchemeProvider: ({ region }) => [
    {
      schemeId: 'aws.auth#sigv4',
      signingProperties: { signingName: 'execute-api', ...(region ? { signingRegion: region } : {}) },
      propertiesExtractor: (config: object, context: object) => ({ signingProperties: { config, context } }),
    },
  ],
};

let f: WireFixture;
beforeAll(async () => {
  f = await startWireFixture();
});
afterAll(() => f?.stop());

/** A client with a middleware that keeps the Authorization header of each signed request. */
function recordingClient(config: Partial<IoTClientConfig>) {
  const client = new IoTClient({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.managementEndpoint, ...config });
  const authorizations: string[] = [];
  type Middleware = Parameters<typeof client.middlewareStack.addRelativeTo>[0];
  const record: Middleware = (next: Parameters<Middleware>[0]) => async (args: { request: unknown; input: object }) => {
    authorizations.push(String((args.request as { headers: Record<string, string> }).headers.authorization));
    return await next(args);
  };
  client.middlewareStack.addRelativeTo(record, {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'recordAuthorization',
  });
  return { client, authorizations };
}

describe('signing for execute-api (the deployed management API)', () => {
  it('signs with the execute-api scope and still speaks the iot protocol', async () => {
    const { client, authorizations } = recordingClient(EXECUTE_API_SIGNING);
    const answer = await client.send(new ListJobsCommand({}));
    expect(answer.jobs).toEqual([]);
    expect(authorizations[0]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
    client.destroy();
  });

  it('differs from the stock client, which signs for iot (and which API Gateway IAM would refuse)', async () => {
    const { client, authorizations } = recordingClient({});
    await client.send(new ListJobsCommand({}));
    expect(authorizations[0]).toContain('/us-east-1/iot/aws4_request');
    client.destroy();
  });
});
