import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DeviceCaller } from '../../jobs/device/device-authorization';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from './raw-request';

/** The device API's cap on request bodies; anything larger is refused before parsing. */
export const DEVICE_MAX_BODY_BYTES = 64 * 1024;

/** The transport-level reading of an API Gateway (payload 2.0) event: decoded labels, parsed JSON. */
export function toRawRequest(event: APIGatewayProxyEventV2, maxBodyBytes = DEVICE_MAX_BODY_BYTES): RawRequest {
  // API Gateway puts the client certificate it verified (mutual TLS) here; the local runner does the same.
  const certificate = (
    event.requestContext as
      | { authentication?: { clientCert?: { subjectDN?: string; clientCertPem?: string } } }
      | undefined
  )?.authentication?.clientCert;
  return {
    path: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    body: parseBody(event.body, event.isBase64Encoded, maxBodyBytes),
    ...callerOfCertificate(certificate),
    ...(event.requestContext?.requestId ? { requestId: event.requestContext.requestId } : {}),
    ...signerOf(event),
    ...(event.headers?.['x-amzn-principal'] !== undefined ? { principal: event.headers['x-amzn-principal'] } : {}),
  };
}

/**
 * The IAM identity API Gateway verified the request's signature for (an IAM-authorized route), as the history names
 * operators.
 */
function signerOf(event: APIGatewayProxyEventV2): { callerIdentity?: string } {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string; accessKey?: string } } } | undefined)
    ?.authorizer?.iam;
  const identity = iam?.userArn ?? iam?.accessKey;
  return identity ? { callerIdentity: identity } : {};
}

/** Who a verified client certificate says is calling: its subject and fingerprint (HTTP and MQTT alike). */
export function callerOfCertificate(
  certificate: { subjectDN?: string; clientCertPem?: string } | undefined,
): DeviceCaller {
  const fingerprint = certificate?.clientCertPem ? pemFingerprint(certificate.clientCertPem) : undefined;
  return {
    ...(certificate?.subjectDN ? { clientCertificateSubject: certificate.subjectDN } : {}),
    ...(fingerprint ? { clientCertificateFingerprint: fingerprint } : {}),
  };
}

/**
 * SHA-256 of a PEM certificate's DER bytes, lower-case hex: what `openssl x509 -fingerprint -sha256` shows, without
 * colons.
 */
export function pemFingerprint(pem: string): string | undefined {
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!base64) return undefined;
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

function parseBody(body: string | undefined, base64: boolean, maxBytes: number): unknown {
  if (body === undefined || body === null || body === '') return undefined;
  const bytes = base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > maxBytes) throw new InvalidRequestException(`request body: must be at most ${maxBytes} bytes`);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidRequestException('request body: is not valid JSON');
  }
}
