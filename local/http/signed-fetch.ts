import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_CREDENTIALS } from '../../lambdas/store/table/dynamo-client';

/**
 * A management API on this machine (the local runner): it reads who signed, but checks no signature, so no AWS
 * credentials are needed.
 */
const isLocal = (url: URL) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname);

/**
 * A call of the management API signed as API Gateway's IAM authorizer wants
 * it: SigV4 for `execute-api` in `region`, with the caller's own credentials
 * (the SDK's default chain: environment, profile, SSO, instance role), so IAM
 * decides what the caller may do.
 */
export async function signedRequest(
  method: string,
  url: URL,
  region: string | undefined,
  body?: Buffer,
): Promise<Response> {
  const local = isLocal(url);
  if (!local && !region)
    throw new Error('--region (or AWS_REGION) is needed to sign requests to a deployed management API');
  const signer = new SignatureV4({
    service: 'execute-api',
    region: region ?? 'us-east-1',
    credentials: local ? LOCAL_CREDENTIALS : defaultProvider(),
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...(body?.length ? { 'content-type': 'application/json' } : {}) },
    ...(body?.length ? { body } : {}),
  });
  const signed = await signer.sign(request);
  try {
    return await fetch(url, {
      method,
      headers: signed.headers as Record<string, string>,
      ...(body?.length ? { body } : {}),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `Nothing answered at ${url.origin} (${cause?.code ?? cause?.message ?? String(error)}): is \`npm start\` running there? --management-url names another.`,
    );
  }
}

/** A GET of the management API, signed (see signedRequest). */
export const signedGet = (url: URL, region: string | undefined): Promise<Response> => signedRequest('GET', url, region);
