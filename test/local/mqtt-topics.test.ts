import { describe, expect, it } from 'vitest';
import {
  httpRequestOf,
  replyOf,
  requestOfTopic,
  thingOfTopic,
  withEmbeddedDocuments,
} from '../../local/mqtt/device-topics';
import { thingsChangedIn } from '../../local/mqtt/notifications';

describe('the jobs request topics', () => {
  it.each([
    ['$aws/things/t1/jobs/get', { thingName: 't1', operation: 'get' }],
    ['$aws/things/t1/jobs/start-next', { thingName: 't1', operation: 'start-next' }],
    ['$aws/things/t1/jobs/j1/get', { thingName: 't1', operation: 'describe', jobId: 'j1' }],
    ['$aws/things/t1/jobs/$next/get', { thingName: 't1', operation: 'describe', jobId: '$next' }],
    ['$aws/things/t1/jobs/j1/update', { thingName: 't1', operation: 'update', jobId: 'j1' }],
  ])('reads %s', (topic, request) => {
    expect(requestOfTopic(topic)).toEqual(request);
  });

  it.each([
    '$aws/things/t1/jobs/get/accepted',
    '$aws/things/t1/jobs/notify-next',
    '$aws/things/t1/jobs/j1/update/rejected',
    '$aws/things/t1/shadow/get',
    'devices/t1/jobs/get',
  ])('is no request: %s', (topic) => {
    expect(requestOfTopic(topic)).toBeUndefined();
  });

  it('names the thing of a topic or filter, and none for a wildcard in its place', () => {
    expect(thingOfTopic('$aws/things/t1/jobs/#')).toBe('t1');
    expect(thingOfTopic('$aws/things/+/jobs/notify')).toBeUndefined();
    expect(thingOfTopic('#')).toBeUndefined();
  });

  it('turns each into the HTTP device request: the payload, as published, the body of an update', () => {
    const published = '{"clientToken":"c","status":"SUCCEEDED","expectedVersion":2}';
    expect(
      httpRequestOf({ thingName: 't 1', operation: 'update', jobId: 'j1' }, JSON.parse(published), published),
    ).toEqual({ method: 'POST', path: '/things/t%201/jobs/j1', query: {}, body: published });
    expect(
      httpRequestOf(
        { thingName: 't1', operation: 'describe', jobId: '$next' },
        { includeJobDocument: false, executionNumber: 3 },
        '',
      ),
    ).toEqual({
      method: 'GET',
      path: '/things/t1/jobs/%24next',
      query: { includeJobDocument: 'false', executionNumber: '3' },
    });
  });

  it("gives a describe's object or array member as its kind, however deeply nested", () => {
    let nested: unknown = true;
    for (let depth = 0; depth < 100_000; depth++) nested = [nested];
    expect(
      httpRequestOf(
        { thingName: 't1', operation: 'describe', jobId: 'j1' },
        { includeJobDocument: nested, executionNumber: { n: 1 } },
        '',
      ).query,
    ).toEqual({ includeJobDocument: '[object Array]', executionNumber: '[object Object]' });
  });
});

describe('the replies', () => {
  it.each([
    ['InvalidRequestException', 'status: must be one of', 'InvalidRequest'],
    ['ResourceNotFoundException', 'no such job', 'ResourceNotFound'],
    ['InvalidStateTransitionException', 'VersionMismatch: expectedVersion 1 does not match', 'VersionMismatch'],
    ['InvalidStateTransitionException', 'is SUCCEEDED, a terminal status', 'InvalidStateTransition'],
    ['TerminalStateException', 'terminal', 'TerminalStateReached'],
    ['ThrottlingException', 'slow down', 'RequestThrottled'],
    ['InternalFailureException', 'oops', 'InternalError'],
  ])('answers %s (%s) with code %s', (errorType, message, code) => {
    expect(
      replyOf(
        { statusCode: 400, errorType, body: { message, executionState: { status: 'IN_PROGRESS' } } },
        'tok',
        1_800_000_000,
      ),
    ).toEqual({
      accepted: false,
      payload: {
        code,
        message,
        executionState: { status: 'IN_PROGRESS' },
        timestamp: 1_800_000_000,
        clientToken: 'tok',
      },
    });
  });

  it("answers an accepted request with the answer's members, the timestamp and the clientToken", () => {
    expect(replyOf({ statusCode: 200, body: { execution: { jobId: 'j1' } } }, undefined, 1_800_000_000)).toEqual({
      accepted: true,
      payload: { execution: { jobId: 'j1' }, timestamp: 1_800_000_000 },
    });
  });

  it("embeds a job document as JSON, in the execution or at the top (an update's), and leaves one that is not JSON a string", () => {
    expect(withEmbeddedDocuments({ execution: { jobId: 'j1', jobDocument: '{"op":"flash","to":2}' } })).toEqual({
      execution: { jobId: 'j1', jobDocument: { op: 'flash', to: 2 } },
    });
    expect(withEmbeddedDocuments({ executionState: { status: 'SUCCEEDED' }, jobDocument: '[1,2]' })).toEqual({
      executionState: { status: 'SUCCEEDED' },
      jobDocument: [1, 2],
    });
    expect(withEmbeddedDocuments({ execution: { jobId: 'j1', jobDocument: 'not json' } })).toEqual({
      execution: { jobId: 'j1', jobDocument: 'not json' },
    });
    expect(withEmbeddedDocuments({ execution: { jobId: 'j1' } })).toEqual({ execution: { jobId: 'j1' } });
  });
});

describe('the things a stream batch notifies', () => {
  it('are those whose execution items changed, each once: not jobs, things or memberships', () => {
    const record = (pk: string, sk: string) => ({ dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } } } });
    expect(
      thingsChangedIn([
        record('THING#t1', 'JOB#j1'),
        record('THING#t1', 'JOB#j2'),
        record('THING#t2', 'THING'),
        record('JOB#j1', 'JOB'),
        record('THING#t3', 'TREE#g'),
        record('THING#t4', 'JOB#j1'),
      ]),
    ).toEqual(['t1', 't4']);
  });
});
