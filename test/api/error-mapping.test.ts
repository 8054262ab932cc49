import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { toRawRequest } from '../../lambdas/api/http/request';
import { errorResponse } from '../../lambdas/api/http/response';
import { routeHandler } from '../../lambdas/api/http/route-handler';
import { ENVIRONMENT } from '../../lambdas/environment';
import * as errors from '../../lambdas/jobs/shared/errors';
import {
  InvalidRequestException,
  InvalidStateTransitionException,
  ResourceAlreadyExistsException,
  ServiceUnavailableException,
  ThrottlingException,
} from '../../lambdas/jobs/shared/errors';
import { translateInfrastructureError } from '../../lambdas/store/table/infrastructure-errors';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('low-level detail'), { name, ...extra });

describe('errorResponse', () => {
  it.each([
    [new InvalidRequestException('x: bad'), 400, 'InvalidRequestException'],
    [new ThrottlingException('slow'), 429, 'ThrottlingException'],
    [new ServiceUnavailableException('later'), 503, 'ServiceUnavailableException'],
    [new InvalidStateTransitionException('VersionMismatch: v'), 409, 'InvalidStateTransitionException'],
  ])('maps %s to its status and x-amzn-ErrorType', (error, status, type) => {
    const response = errorResponse(error, 'req-1');
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject({
      'x-amzn-ErrorType': type,
      'x-amzn-RequestId': 'req-1',
      'content-type': 'application/json',
    });
    expect(JSON.parse(response.body!)).toEqual({ message: error.message });
  });

  it('adds the members an error carries', () => {
    const response = errorResponse(new ResourceAlreadyExistsException('taken', 'j1', 'arn:j1'), 'r');
    expect(JSON.parse(response.body!)).toEqual({ message: 'taken', resourceId: 'j1', resourceArn: 'arn:j1' });
  });

  it.each([
    new TypeError('cannot read x of undefined at /var/task/index.mjs'),
    'a string',
    named('ValidationException'),
  ])('turns anything unexpected (%s) into a fixed 500', (error) => {
    const response = errorResponse(error, 'r');
    expect(response.statusCode).toBe(500);
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'InternalFailureException' });
    expect(response.body).not.toMatch(/undefined|task|Validation|string/);
  });
});

describe('the service errors', () => {
  it.each(
    Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof errors.ServiceError,
    ),
  )('%s names itself as AWS does, with its status', (className, ErrorClass) => {
    const error = new (ErrorClass as new (message: string) => errors.ServiceError)('m');
    expect(error.name).toBe(className);
    expect(error.statusCode).toBe(errors.SERVICE_ERRORS[className as errors.ServiceErrorName]);
  });
});

describe('translateInfrastructureError', () => {
  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])(
    'makes %s a ThrottlingException',
    (name) => {
      expect(translateInfrastructureError(named(name))).toBeInstanceOf(ThrottlingException);
    },
  );

  it.each([
    named('InternalServerError'),
    named('TimeoutError'),
    named('Error', { code: 'ECONNREFUSED' }),
    named('Error', { code: 'ECONNRESET' }),
  ])('makes %s a ServiceUnavailableException', (error) => {
    expect(translateInfrastructureError(error)).toBeInstanceOf(ServiceUnavailableException);
  });

  it('keeps what DynamoDB said as the cause, and the response shows none of it', () => {
    const original = named('ProvisionedThroughputExceededException');
    const translated = translateInfrastructureError(original) as ThrottlingException;
    expect(translated.cause).toBe(original);
    expect(errorResponse(translated, 'r').body).not.toMatch(/low-level|Provisioned/);
  });

  it('leaves bugs as they are, to become 500s', () => {
    const bug = named('ValidationException');
    expect(translateInfrastructureError(bug)).toBe(bug);
  });
});

describe('the failed-request log line', () => {
  it('names the cause of a 503, so the operator sees what the store said', async () => {
    const lines: string[] = [];
    const info = vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
    vi.stubEnv(ENVIRONMENT.logLevel, 'info');
    try {
      const handler = routeHandler('Op', () =>
        Promise.reject(translateInfrastructureError(named('Error', { code: 'ECONNREFUSED' }))),
      );
      const response = await handler({ requestContext: { requestId: 'r-503' } } as unknown as APIGatewayProxyEventV2);
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        requestId: 'r-503',
        error: 'ServiceUnavailableException',
        cause: 'Error: low-level detail',
      });
    } finally {
      info.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});

describe('toRawRequest', () => {
  const event = (body?: string, isBase64Encoded = false) =>
    ({ pathParameters: { thingName: 't' }, body, isBase64Encoded }) as unknown as APIGatewayProxyEventV2;

  it('decodes base64 bodies', () => {
    expect(toRawRequest(event(Buffer.from('{"a":1}').toString('base64'), true)).body).toEqual({ a: 1 });
  });

  it('takes an empty or blank body as no body', () => {
    expect(toRawRequest(event('')).body).toBeUndefined();
    expect(toRawRequest(event('  \n')).body).toBeUndefined();
  });

  it('counts the cap in bytes, not characters', () => {
    expect(() => toRawRequest(event(JSON.stringify({ s: '€'.repeat(20_000) })), 50_000)).toThrow(
      'request body: must be at most 50000 bytes',
    );
  });
});
