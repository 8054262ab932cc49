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
 * A GET of the management API signed as API Gateway's IAM authorizer wants
 * it: SigV4 for `execute-api` in `region`, with the caller's own credentials
 * (the SDK's default chain: environment, profile, SSO, instance role).
 */
export async function signedGet(url: URL, region: string | undefined): Promise<Response> {
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
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host },
  });
  const signed = await signer.sign(request);
  try {
    return await fetch(url, { headers: signed.headers as Record<string, string> });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `Nothing answered at ${url.origin} (${cause?.code ?? cause?.message ?? String(error)}): is \`npm start\` running there? --management-url names another.`,
    );
  }
}
