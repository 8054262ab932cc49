import { ServiceUnavailableException, ThrottlingException } from '../../jobs/shared/errors';

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const UNAVAILABLE = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * DynamoDB failures a client can do something about (slow down, retry) become
 * the service's retryable errors, with DynamoDB's own error as their cause
 * (so the log says what happened); anything else is a bug and stays a 500.
 */
export function translateInfrastructureError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: string }).code;
  if (THROTTLED.has(error.name)) return new ThrottlingException('Rate exceeded; slow down and retry', { cause: error });
  if (UNAVAILABLE.has(error.name) || (code && NETWORK_CODES.has(code))) {
    return new ServiceUnavailableException('The job store is unavailable; retry', { cause: error });
  }
  return error;
}
