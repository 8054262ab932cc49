import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../lambdas/api/http/raw-request';
import {
  parseDescribe,
  parseGetPending,
  parseStartNext,
  parseUpdate,
} from '../../lambdas/api/requests/device-requests';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';

const request = (path: RawRequest['path'], body?: unknown, query: RawRequest['query'] = {}): RawRequest => ({
  path,
  query,
  body,
});
const thing = { thingName: 't1', jobId: 'j1' };
const tenDetails = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));

/** Each bad input must be refused with InvalidRequestException whose message names the field. */
const invalidUpdates: Array<[string, RawRequest, string]> = [
  ['missing status', request(thing, {}), 'status: is required'],
  ['unknown status', request(thing, { status: 'DONE' }), 'status: must be one of'],
  ['status owned by the service', request(thing, { status: 'TIMED_OUT' }), 'status: a device may only report'],
  ['QUEUED from a device', request(thing, { status: 'QUEUED' }), 'status: a device may only report'],
  ['CANCELED from a device', request(thing, { status: 'CANCELED' }), 'status: a device may only report'],
  ['status of wrong type', request(thing, { status: 3 }), 'status: must be one of'],
  ['body not an object', request(thing, [1, 2]), 'request body: must be a JSON object'],
  [
    'thing name with a slash-free bad char',
    request({ ...thing, thingName: 't 1' }, { status: 'SUCCEEDED' }),
    'thingName: must match',
  ],
  [
    'thing name too long',
    request({ ...thing, thingName: 'a'.repeat(129) }, { status: 'SUCCEEDED' }),
    'thingName: must be 1-128',
  ],
  ['job id with a colon', request({ ...thing, jobId: 'a:b' }, { status: 'SUCCEEDED' }), 'jobId: must match'],
  ['job id too long', request({ ...thing, jobId: 'a'.repeat(65) }, { status: 'SUCCEEDED' }), 'jobId: must be 1-64'],
  ['$next is not updatable', request({ ...thing, jobId: '$next' }, { status: 'SUCCEEDED' }), 'jobId: must match'],
  [
    'expectedVersion as text',
    request(thing, { status: 'SUCCEEDED', expectedVersion: '2' }),
    'expectedVersion: must be an integer',
  ],
  [
    'expectedVersion fractional',
    request(thing, { status: 'SUCCEEDED', expectedVersion: 1.5 }),
    'expectedVersion: must be an integer',
  ],
  [
    'expectedVersion negative',
    request(thing, { status: 'SUCCEEDED', expectedVersion: -1 }),
    'expectedVersion: must be between',
  ],
  [
    'executionNumber as text',
    request(thing, { status: 'SUCCEEDED', executionNumber: 'x' }),
    'executionNumber: must be an integer',
  ],
  [
    'includeJobDocument as text',
    request(thing, { status: 'SUCCEEDED', includeJobDocument: 'yes' }),
    'includeJobDocument: must be true or false',
  ],
  [
    'includeJobExecutionState as number',
    request(thing, { status: 'SUCCEEDED', includeJobExecutionState: 1 }),
    'includeJobExecutionState: must be true or false',
  ],
  [
    'step timeout 0',
    request(thing, { status: 'IN_PROGRESS', stepTimeoutInMinutes: 0 }),
    'stepTimeoutInMinutes: must be between 1 and 10080 or -1',
  ],
  [
    'step timeout past 7 days',
    request(thing, { status: 'IN_PROGRESS', stepTimeoutInMinutes: 10081 }),
    'stepTimeoutInMinutes: must be between',
  ],
  [
    'step timeout -2',
    request(thing, { status: 'IN_PROGRESS', stepTimeoutInMinutes: -2 }),
    'stepTimeoutInMinutes: must be between',
  ],
  [
    'statusDetails a list',
    request(thing, { status: 'IN_PROGRESS', statusDetails: ['a'] }),
    'statusDetails: must be an object',
  ],
  [
    'statusDetails 11 entries',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { ...tenDetails, k10: 'v' } }),
    'statusDetails: must have at most 10 entries',
  ],
  [
    'statusDetails key with a space',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { 'a b': 'v' } }),
    'statusDetails key "a b": must match',
  ],
  [
    'statusDetails key too long',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { ['k'.repeat(129)]: 'v' } }),
    'must be 1-128 characters',
  ],
  // As JSON.parse leaves it: an own member named __proto__, which a JavaScript object cannot hold as data.
  [
    'statusDetails key __proto__',
    request(thing, JSON.parse('{"status":"IN_PROGRESS","statusDetails":{"__proto__":"x"}}')),
    'statusDetails key "__proto__": is reserved',
  ],
  [
    'statusDetails value empty',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { k: '' } }),
    'statusDetails.k: must be 1-1024',
  ],
  [
    'statusDetails value too long',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { k: 'v'.repeat(1025) } }),
    'statusDetails.k: must be 1-1024',
  ],
  [
    'statusDetails value with a newline',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { k: 'a\nb' } }),
    'statusDetails.k: must match no control characters',
  ],
  [
    'statusDetails value a number',
    request(thing, { status: 'IN_PROGRESS', statusDetails: { k: 5 } }),
    'statusDetails.k: must be a string',
  ],
];

describe('parseUpdate', () => {
  it.each(invalidUpdates)('rejects %s', (_name, raw, message) => {
    const attempt = () => parseUpdate(raw);
    expect(attempt).toThrow(InvalidRequestException);
    expect(attempt).toThrow(message);
  });

  it('accepts the limits themselves', () => {
    const input = parseUpdate(
      request(thing, {
        status: 'IN_PROGRESS',
        statusDetails: {
          ...Object.fromEntries(Object.entries(tenDetails).slice(1)),
          ['k'.repeat(128)]: 'v'.repeat(1024),
        },
        stepTimeoutInMinutes: 10080,
        expectedVersion: 0,
      }),
    );
    expect(input.stepTimeoutInMinutes).toBe(10080);
  });

  it('defaults both include flags to false', () => {
    expect(parseUpdate(request(thing, { status: 'SUCCEEDED' }))).toMatchObject({
      includeJobExecutionState: false,
      includeJobDocument: false,
    });
  });

  it('keeps -1 (remove the step timer) on IN_PROGRESS', () => {
    expect(parseUpdate(request(thing, { status: 'IN_PROGRESS', stepTimeoutInMinutes: -1 })).stepTimeoutInMinutes).toBe(
      -1,
    );
  });

  it('ignores a valid step timeout on a final status', () => {
    expect(
      parseUpdate(request(thing, { status: 'SUCCEEDED', stepTimeoutInMinutes: 5 })).stepTimeoutInMinutes,
    ).toBeUndefined();
  });

  it('ignores members it does not know', () => {
    expect(parseUpdate(request(thing, { status: 'FAILED', colour: 'blue' })).status).toBe('FAILED');
  });

  it('accepts unicode details values and counts them in characters', () => {
    const value = '✓'.repeat(1024);
    expect(parseUpdate(request(thing, { status: 'IN_PROGRESS', statusDetails: { k: value } })).statusDetails).toEqual({
      k: value,
    });
  });
});

describe('parseStartNext', () => {
  it.each([
    [
      'stepTimeoutInMinutes -1 (only Update may remove a timer)',
      { stepTimeoutInMinutes: -1 },
      'stepTimeoutInMinutes: must be between 1 and 10080',
    ],
    ['statusDetails of wrong type', { statusDetails: 'x' }, 'statusDetails: must be an object'],
    ['a non-object body', 'x', 'request body: must be a JSON object'],
  ])('rejects %s', (_name, body, message) => {
    expect(() => parseStartNext(request({ thingName: 't1' }, body))).toThrow(message);
  });

  it('accepts an empty body', () => {
    expect(parseStartNext(request({ thingName: 't1' }))).toEqual({
      thingName: 't1',
      statusDetails: undefined,
      stepTimeoutInMinutes: undefined,
    });
  });
});

describe('parseDescribe', () => {
  it('includes the job document unless asked not to', () => {
    expect(parseDescribe(request(thing)).includeJobDocument).toBe(true);
    expect(parseDescribe(request(thing, undefined, { includeJobDocument: 'false' })).includeJobDocument).toBe(false);
  });

  it('takes $next as a job ID', () => {
    expect(parseDescribe(request({ ...thing, jobId: '$next' })).jobId).toBe('$next');
  });

  it.each([
    [{ includeJobDocument: 'yes' }, 'includeJobDocument: must be true or false'],
    [{ executionNumber: 'one' }, 'executionNumber: must be an integer'],
    [{ executionNumber: '1.5' }, 'executionNumber: must be an integer'],
    [{ executionNumber: '-3' }, 'executionNumber: must be between'],
  ])('rejects query %j', (query, message) => {
    expect(() => parseDescribe(request(thing, undefined, query))).toThrow(message);
  });

  it('reads executionNumber from the query', () => {
    expect(parseDescribe(request(thing, undefined, { executionNumber: '7' })).executionNumber).toBe(7);
  });
});

describe('parseGetPending', () => {
  it.each([
    ['', 'thingName: must be 1-128'],
    ['a/b', 'thingName: must match'],
    [undefined, 'thingName: is required'],
  ])('rejects thing name %j', (thingName, message) => {
    expect(() => parseGetPending(request({ thingName }))).toThrow(message);
  });

  it('accepts colons, dashes and underscores', () => {
    expect(parseGetPending(request({ thingName: 'arn:x_y-z' })).thingName).toBe('arn:x_y-z');
  });
});

describe("every device request's clientToken (1-64 printable ASCII, no space: botocore's ClientRequestTokenV2)", () => {
  const refusals: Array<[string, (token: string) => unknown]> = [
    [
      'GetPendingJobExecutions (query)',
      (token) => parseGetPending(request({ thingName: 't1' }, undefined, { clientToken: token })),
    ],
    ['DescribeJobExecution (query)', (token) => parseDescribe(request(thing, undefined, { clientToken: token }))],
    [
      'StartNextPendingJobExecution (body)',
      (token) => parseStartNext(request({ thingName: 't1' }, { clientToken: token })),
    ],
    [
      'UpdateJobExecution (body)',
      (token) => parseUpdate(request(thing, { status: 'IN_PROGRESS', clientToken: token })),
    ],
  ];

  it.each(refusals)(
    '%s refuses one of 65 characters, a space, a control or non-ASCII character, or empty; takes one of 64',
    (_, parse) => {
      for (const token of ['a'.repeat(65), 'two words', 'tab\there', 'caf\u00e9', '']) {
        expect(() => parse(token), JSON.stringify(token)).toThrow(InvalidRequestException);
        expect(() => parse(token), JSON.stringify(token)).toThrow(/^clientToken: must/);
      }
      expect(() => parse(`${'!'.repeat(32)}${'~'.repeat(32)}`)).not.toThrow();
    },
  );
});
