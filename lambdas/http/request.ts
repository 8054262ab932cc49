import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RawRequest } from '../domain/raw-request';
import { InvalidRequestException } from '../domain/errors';

/** The device API's cap on request bodies; anything larger is refused before parsing. */
export const DEVICE_MAX_BODY_BYTES = 64 * 1024;

/** The transport-level reading of an API Gateway (payload 2.0) event: decoded labels, parsed JSON. */
export function toRawRequest(event: APIGatewayProxyEventV2, maxBodyBytes = DEVICE_MAX_BODY_BYTES): RawRequest {
  // API Gateway puts the subject of the client certificate it verified (mutual TLS) here; the local runner does the same.
  const subject = (event.requestContext as { authentication?: { clientCert?: { subjectDN?: string } } } | undefined)?.authentication?.clientCert?.subjectDN;
  return {
    path: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    body: parseBody(event.body, event.isBase64Encoded, maxBodyBytes),
    ...(subject ? { clientCertificateSubject: subject } : {}),
  };
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
