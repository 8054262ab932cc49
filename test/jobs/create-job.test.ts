import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../lambdas/api/http/raw-request';
import { MAX_TARGETS, parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import { newExecution, newJob } from '../../lambdas/jobs/management/job';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';
import { thingArn } from '../support/arns';

const arn = thingArn;
const create = (body: Record<string, unknown>, jobId = 'j1'): RawRequest => ({ path: { jobId }, query: {}, body });
const valid = { targets: [arn('t1')], document: '{"op":"reboot"}' };
/** A valid exponential rate, to break one member of at a time. */
const CRITERION = { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 20, minNumberOfExecutedThings: 10 };
const RETRY = { failureType: 'FAILED', numberOfRetries: 2 };
const EXP = { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 10 } };

describe('parseCreateJob', () => {
  it.each<[string, RawRequest, string]>([
    ['a bad job ID', create(valid, 'a b'), 'jobId: must match'],
    [
      'no targets',
      create({ ...valid, targets: [] }),
      'targets: must be a list of at least one thing or thing group ARN',
    ],
    ['targets not a list', create({ ...valid, targets: arn('t1') }), 'targets: must be a list'],
    [
      'a target of another kind',
      create({ ...valid, targets: ['arn:aws:iot:us-east-1:123456789012:job/j'] }),
      'targets[0]: must be a thing or thing group ARN',
    ],
    [
      'a target that is not an ARN',
      create({ ...valid, targets: [arn('t1'), 't2'] }),
      'targets[1]: must be a thing or thing group ARN',
    ],
    [
      'a target whose thing name breaks the rules',
      create({ ...valid, targets: [arn('t 1')] }),
      'targets[0] name: must match',
    ],
    [
      'too many targets',
      create({ ...valid, targets: Array.from({ length: MAX_TARGETS + 1 }, (_, i) => arn(`t${i}`)) }),
      `targets: at most ${MAX_TARGETS}`,
    ],
    ['no document', create({ targets: valid.targets }), 'document: is required'],
    [
      'a document over 32768 characters',
      create({ ...valid, document: 'x'.repeat(32769) }),
      'document: must be 1-32768',
    ],
    [
      'a description over 2028 characters',
      create({ ...valid, description: 'd'.repeat(2029) }),
      'description: must be 0-2028',
    ],
    [
      'a description with control characters',
      create({ ...valid, description: 'a\u0007b' }),
      'description: must not contain control characters',
    ],
    [
      'an in-progress timeout of 0',
      create({ ...valid, timeoutConfig: { inProgressTimeoutInMinutes: 0 } }),
      'timeoutConfig.inProgressTimeoutInMinutes: must be between 1 and 10080',
    ],
    [
      'an in-progress timeout past 7 days',
      create({ ...valid, timeoutConfig: { inProgressTimeoutInMinutes: 10081 } }),
      'must be between 1 and 10080',
    ],
    [
      'a timeoutConfig that is not an object',
      create({ ...valid, timeoutConfig: 5 }),
      'timeoutConfig: must be a JSON object',
    ],
    [
      'a document and its S3 URL both',
      create({ ...valid, documentSource: 'https://s3.amazonaws.com/bucket/doc' }),
      'document, documentSource: give the document or its S3 URL, not both',
    ],
    ['namespaces', create({ ...valid, namespaceId: 'ns' }), 'namespaceId: is not supported'],
    [
      'a rollout config that is not an object',
      create({ ...valid, jobExecutionsRolloutConfig: 'fast' }),
      'jobExecutionsRolloutConfig: must be a JSON object',
    ],
    [
      'maximumPerMinute 0',
      create({ ...valid, jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }),
      'jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000',
    ],
    [
      'maximumPerMinute past 1,000',
      create({ ...valid, jobExecutionsRolloutConfig: { maximumPerMinute: 1001 } }),
      'jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000',
    ],
    [
      'maximumPerMinute with a fraction',
      create({ ...valid, jobExecutionsRolloutConfig: { maximumPerMinute: 2.5 } }),
      'jobExecutionsRolloutConfig.maximumPerMinute: must be an integer',
    ],
    [
      'an exponential rate without its maximum',
      create({
        ...valid,
        jobExecutionsRolloutConfig: {
          exponentialRate: {
            baseRatePerMinute: 5,
            incrementFactor: 2,
            rateIncreaseCriteria: { numberOfNotifiedThings: 10 },
          },
        },
      }),
      'jobExecutionsRolloutConfig.maximumPerMinute: is required with exponentialRate',
    ],
    [
      'an exponential rate without a base',
      create({
        ...valid,
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 50,
          exponentialRate: { incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 1 } },
        },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute: is required',
    ],
    [
      'a base rate past 1,000',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, baseRatePerMinute: 1001 } },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute: must be between 1 and 1000',
    ],
    [
      'a base rate over the maximum',
      create({ ...valid, jobExecutionsRolloutConfig: { maximumPerMinute: 4, exponentialRate: EXP } }),
      'jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute: must not be more than maximumPerMinute (4)',
    ],
    [
      'an increment factor under 1.1',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, incrementFactor: 1 } },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be between 1.1 and 5',
    ],
    [
      'an increment factor past 5',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, incrementFactor: 5.5 } },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be between 1.1 and 5',
    ],
    [
      'an increment factor with two decimals',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, incrementFactor: 1.55 } },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must have at most 1 digit after the decimal point',
    ],
    [
      'an increment factor that is text',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, incrementFactor: '2' } },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be a number',
    ],
    [
      'no rate increase criteria',
      create({
        ...valid,
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 50,
          exponentialRate: { baseRatePerMinute: 5, incrementFactor: 2 },
        },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria: must be a JSON object',
    ],
    [
      'empty rate increase criteria',
      create({
        ...valid,
        jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { ...EXP, rateIncreaseCriteria: {} } },
      }),
      'rateIncreaseCriteria: set exactly one of numberOfNotifiedThings and numberOfSucceededThings',
    ],
    [
      'both rate increase criteria',
      create({
        ...valid,
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 50,
          exponentialRate: { ...EXP, rateIncreaseCriteria: { numberOfNotifiedThings: 1, numberOfSucceededThings: 1 } },
        },
      }),
      'set exactly one of',
    ],
    [
      'a criterion of 0 things',
      create({
        ...valid,
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 50,
          exponentialRate: { ...EXP, rateIncreaseCriteria: { numberOfSucceededThings: 0 } },
        },
      }),
      'jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria.numberOfSucceededThings: must be between 1 and',
    ],
    [
      'an abortConfig without criteria',
      create({ ...valid, abortConfig: {} }),
      'abortConfig.criteriaList: must be a list of at least one criterion',
    ],
    [
      'an empty criteriaList',
      create({ ...valid, abortConfig: { criteriaList: [] } }),
      'abortConfig.criteriaList: must be a list of at least one criterion',
    ],
    [
      'too many criteria',
      create({ ...valid, abortConfig: { criteriaList: Array.from({ length: 9 }, () => CRITERION) } }),
      'abortConfig.criteriaList: at most 8 criteria',
    ],
    [
      'an unknown failureType',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, failureType: 'CANCELED' }] } }),
      'abortConfig.criteriaList[0].failureType: must be one of FAILED, REJECTED, TIMED_OUT, ALL',
    ],
    [
      'an action other than CANCEL',
      create({ ...valid, abortConfig: { criteriaList: [CRITERION, { ...CRITERION, action: 'PAUSE' }] } }),
      'abortConfig.criteriaList[1].action: must be one of CANCEL',
    ],
    [
      'no action',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, action: undefined }] } }),
      'abortConfig.criteriaList[0].action: is required',
    ],
    [
      'a threshold past 100%',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, thresholdPercentage: 100.5 }] } }),
      'abortConfig.criteriaList[0].thresholdPercentage: must be between 0 and 100',
    ],
    [
      'a negative threshold',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, thresholdPercentage: -1 }] } }),
      'abortConfig.criteriaList[0].thresholdPercentage: must be between 0 and 100',
    ],
    [
      'a threshold with three decimals',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, thresholdPercentage: 10.999 }] } }),
      'abortConfig.criteriaList[0].thresholdPercentage: must have at most 2 digits after the decimal point',
    ],
    [
      'a minimum of 0 executed things',
      create({ ...valid, abortConfig: { criteriaList: [{ ...CRITERION, minNumberOfExecutedThings: 0 }] } }),
      'abortConfig.criteriaList[0].minNumberOfExecutedThings: must be between 1 and',
    ],
    [
      'a criterion that is not an object',
      create({ ...valid, abortConfig: { criteriaList: ['FAILED'] } }),
      'abortConfig.criteriaList[0]: must be a JSON object',
    ],
    [
      'a retry config without criteria',
      create({ ...valid, jobExecutionsRetryConfig: {} }),
      'jobExecutionsRetryConfig.criteriaList: must be a list of one or two criteria',
    ],
    [
      'three retry criteria',
      create({ ...valid, jobExecutionsRetryConfig: { criteriaList: [RETRY, RETRY, RETRY] } }),
      'jobExecutionsRetryConfig.criteriaList: must be a list of one or two criteria',
    ],
    [
      'two FAILED retry criteria',
      create({ ...valid, jobExecutionsRetryConfig: { criteriaList: [RETRY, RETRY] } }),
      'two criteria must be one FAILED and one TIMED_OUT',
    ],
    [
      'ALL beside TIMED_OUT',
      create({
        ...valid,
        jobExecutionsRetryConfig: {
          criteriaList: [
            { failureType: 'ALL', numberOfRetries: 1 },
            { failureType: 'TIMED_OUT', numberOfRetries: 1 },
          ],
        },
      }),
      'two criteria must be one FAILED and one TIMED_OUT',
    ],
    [
      'retries on REJECTED',
      create({
        ...valid,
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'REJECTED', numberOfRetries: 1 }] },
      }),
      'jobExecutionsRetryConfig.criteriaList[0].failureType: must be one of FAILED, TIMED_OUT, ALL',
    ],
    [
      '11 retries',
      create({ ...valid, jobExecutionsRetryConfig: { criteriaList: [{ ...RETRY, numberOfRetries: 11 }] } }),
      'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: must be between 0 and 10',
    ],
    [
      'a negative number of retries',
      create({ ...valid, jobExecutionsRetryConfig: { criteriaList: [{ ...RETRY, numberOfRetries: -1 }] } }),
      'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: must be between 0 and 10',
    ],
    [
      'no number of retries',
      create({ ...valid, jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED' }] } }),
      'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: is required',
    ],
    [
      'a target selection of neither kind',
      create({ ...valid, targetSelection: 'ONCE' }),
      'targetSelection: must be one of SNAPSHOT, CONTINUOUS',
    ],
  ])('rejects %s', (_name, raw, message) => {
    const attempt = () => parseCreateJob(raw);
    expect(attempt).toThrow(InvalidRequestException);
    expect(attempt).toThrow(message);
  });

  it.each([
    [undefined, 'SNAPSHOT'],
    ['SNAPSHOT', 'SNAPSHOT'],
    ['CONTINUOUS', 'CONTINUOUS'],
  ])('takes targetSelection %s as %s', (given, kept) => {
    expect(parseCreateJob(create({ ...valid, ...(given ? { targetSelection: given } : {}) })).targetSelection).toBe(
      kept,
    );
  });

  it.each([
    ['a constant rate', { maximumPerMinute: 20 }],
    [
      'the limits',
      {
        maximumPerMinute: 1000,
        exponentialRate: {
          baseRatePerMinute: 1000,
          incrementFactor: 5,
          rateIncreaseCriteria: { numberOfSucceededThings: 1 },
        },
      },
    ],
    [
      'an exponential rate',
      {
        maximumPerMinute: 100,
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 1.1,
          rateIncreaseCriteria: { numberOfNotifiedThings: 50 },
        },
      },
    ],
    ['an empty config (AWS: 1,000 a minute)', {}],
  ])('keeps %s of jobExecutionsRolloutConfig as given', (_, config) => {
    expect(parseCreateJob(create({ ...valid, jobExecutionsRolloutConfig: config })).jobExecutionsRolloutConfig).toEqual(
      config,
    );
  });

  it('keeps abortConfig as given, its limits included', () => {
    const abortConfig = {
      criteriaList: [
        CRITERION,
        { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10.99, minNumberOfExecutedThings: 1 },
        { ...CRITERION, thresholdPercentage: 100 },
      ],
    };
    expect(parseCreateJob(create({ ...valid, abortConfig })).abortConfig).toEqual(abortConfig);
  });

  it.each([
    [
      {
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: 10 },
          { failureType: 'TIMED_OUT', numberOfRetries: 0 },
        ],
      },
    ],
    [{ criteriaList: [{ failureType: 'ALL', numberOfRetries: 3 }] }],
  ])('keeps jobExecutionsRetryConfig %j as given', (config) => {
    expect(parseCreateJob(create({ ...valid, jobExecutionsRetryConfig: config })).jobExecutionsRetryConfig).toEqual(
      config,
    );
  });

  it('accepts the limits and keeps timeoutConfig for the timers', () => {
    const input = parseCreateJob(
      create({
        ...valid,
        document: 'x'.repeat(32768),
        description: 'd'.repeat(2028),
        timeoutConfig: { inProgressTimeoutInMinutes: 10080 },
      }),
    );
    expect(input.timeoutConfig).toEqual({ inProgressTimeoutInMinutes: 10080 });
    expect(input.document).toHaveLength(32768);
  });

  it('tells things from thing groups among the targets, each once', () => {
    const group = 'arn:aws:iot:us-east-1:123456789012:thinggroup/g1';
    const input = parseCreateJob(create({ ...valid, targets: [arn('t1'), group, group, arn('t1')] }));
    expect(input).toMatchObject({ targets: [arn('t1'), group], thingNames: ['t1'], groupNames: ['g1'] });
  });

  it('targets each thing once, whatever the duplicates', () => {
    const input = parseCreateJob(create({ ...valid, targets: [arn('a'), arn('b'), arn('a')] }));
    expect(input.thingNames).toEqual(['a', 'b']);
    expect(input.targets).toEqual([arn('a'), arn('b')]);
  });
});

describe('newJob and newExecution', () => {
  const job = newJob(
    parseCreateJob(create(valid)),
    { partition: 'aws', region: 'eu-west-1', account: '111122223333' },
    'inc-1',
    5_000,
  );

  it('names the job with its ARN and starts it IN_PROGRESS with fan-out pending', () => {
    expect(job).toMatchObject({
      jobArn: 'arn:aws:iot:eu-west-1:111122223333:job/j1',
      status: 'IN_PROGRESS',
      executionsCreated: false,
      createdAt: 5_000,
    });
  });

  it('queues each execution at version 1, execution number 1, in the job incarnation, written for the operator (a rollout: released by it)', () => {
    expect(newExecution(job, 't1')).toEqual({
      thingName: 't1',
      jobId: 'j1',
      jobIncarnation: 'inc-1',
      status: 'QUEUED',
      queuedAt: 5_000,
      lastUpdatedAt: 5_000,
      versionNumber: 1,
      executionNumber: 1,
      changedBy: { kind: 'operator' },
    });
    expect(newExecution({ ...job, jobExecutionsRolloutConfig: { maximumPerMinute: 10 } }, 't1').changedBy).toEqual({
      kind: 'rollout',
    });
  });
});
