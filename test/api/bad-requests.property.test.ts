import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionIdOf, handlerModulePath, ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { gatewayEvent } from '../support/gateway-event';
import { executionRecord, seedExecutions } from '../support/seed';
import { createTestTable, type TestTable } from '../support/test-table';

/**
 * Thousands of bad requests, generated, at every route of both APIs, as
 * Lambda gets them, on DynamoDB Local. Each starts from a request that would
 * succeed and breaks one thing the route reads. Every answer must be a 400
 * InvalidRequestException with a message (never a 500), and no stored item
 * may change.
 */
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const handlers: Record<string, Handler> = {};

interface Request {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: string;
}

const CERT_ID = 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';

/** A request each route would accept, against the seeded data. */
const VALID: Record<string, Request> = {
  GetPendingJobExecutions: { path: { thingName: 't1' }, query: {} },
  StartNextPendingJobExecution: {
    path: { thingName: 't1', jobId: '$next' },
    query: {},
    body: '{"stepTimeoutInMinutes":5,"statusDetails":{"a":"b"}}',
  },
  DescribeJobExecution: {
    path: { thingName: 't1', jobId: 'j1' },
    query: { includeJobDocument: 'false', executionNumber: '1' },
  },
  UpdateJobExecution: {
    path: { thingName: 't1', jobId: 'j1' },
    query: {},
    body: '{"status":"IN_PROGRESS","expectedVersion":1,"stepTimeoutInMinutes":3}',
  },
  CreateJob: {
    path: { jobId: 'new-job' },
    query: {},
    body: JSON.stringify({
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/t9'],
      document: '{}',
      description: 'd',
      targetSelection: 'SNAPSHOT',
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 5 },
        ],
      },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 1 }] },
      schedulingConfig: {
        endBehavior: 'CANCEL',
        maintenanceWindows: [{ startTime: 'cron(0 22 ? * MON-FRI *)', durationInMinutes: 60 }],
      },
    }),
  },
  CreateJobTemplate: {
    path: { jobTemplateId: 'new-template' },
    query: {},
    body: JSON.stringify({
      description: 'd',
      document: '{}',
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      maintenanceWindows: [{ startTime: 'cron(0 22 ? * MON *)', durationInMinutes: 60 }],
    }),
  },
  DescribeJobTemplate: { path: { jobTemplateId: 'tpl1' }, query: {} },
  ListJobTemplates: { path: {}, query: { maxResults: '5' } },
  ListManagedJobTemplates: { path: {}, query: { templateName: 'AWS-Reboot', maxResults: '5' } },
  DescribeManagedJobTemplate: { path: { templateName: 'AWS-Reboot' }, query: { templateVersion: '1.0' } },
  DeleteJobTemplate: { path: { jobTemplateId: 'tpl1' }, query: {} },
  ListJobExecutionHistory: { path: { thingName: 't1' }, query: { jobId: 'j1', maxResults: '5' } },
  ListJobCountsHistory: { path: { jobId: 'j1' }, query: { maxResults: '5' } },
  UpdateJob: {
    path: { jobId: 'j1' },
    query: {},
    body: JSON.stringify({
      description: 'd',
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      jobExecutionsRolloutConfig: {
        maximumPerMinute: 50,
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 10 },
        },
      },
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 },
        ],
      },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
    }),
  },
  AssociateTargetsWithJob: {
    path: { jobId: 'j1' },
    query: {},
    body: '{"targets":["arn:aws:iot:us-east-1:123456789012:thinggroup/g1"],"comment":"c"}',
  },
  DescribeJob: { path: { jobId: 'j1' }, query: { beforeSubstitution: 'false' } },
  ListJobs: { path: {}, query: { status: 'IN_PROGRESS', maxResults: '5', thingGroupName: 'g1' } },
  CancelJob: { path: { jobId: 'j1' }, query: { force: 'false' }, body: '{"reasonCode":"R1","comment":"c"}' },
  DeleteJob: { path: { jobId: 'j1' }, query: { force: 'true' } },
  GetJobDocument: { path: { jobId: 'j1' }, query: {} },
  ListJobExecutionsForJob: { path: { jobId: 'j1' }, query: { status: 'QUEUED', maxResults: '10' } },
  ListJobExecutionsForThing: { path: { thingName: 't1' }, query: { status: 'QUEUED', maxResults: '10', jobId: 'j1' } },
  ManagementDescribeJobExecution: { path: { thingName: 't1', jobId: 'j1' }, query: { executionNumber: '1' } },
  CancelJobExecution: {
    path: { thingName: 't1', jobId: 'j1' },
    query: { force: 'true' },
    body: '{"expectedVersion":1,"statusDetails":{"k":"v"}}',
  },
  DeleteJobExecution: { path: { thingName: 't1', jobId: 'j1', executionNumber: '1' }, query: { force: 'true' } },
  CreateThing: { path: { thingName: 'new-thing' }, query: {}, body: '{"attributePayload":{"attributes":{"a":"1"}}}' },
  DescribeThing: { path: { thingName: 't1' }, query: {} },
  ListThings: {
    path: {},
    query: { attributeName: 'a', attributeValue: '1', usePrefixAttributeValue: 'true', maxResults: '5' },
  },
  UpdateThing: {
    path: { thingName: 't1' },
    query: {},
    body: '{"attributePayload":{"attributes":{"a":"2"},"merge":true},"expectedVersion":1}',
  },
  DeleteThing: { path: { thingName: 't1' }, query: { expectedVersion: '1' } },
  CreateThingGroup: {
    path: { thingGroupName: 'new-group' },
    query: {},
    body: '{"parentGroupName":"g1","thingGroupProperties":{"thingGroupDescription":"d","attributePayload":{"attributes":{"a":"1"}}}}',
  },
  DescribeThingGroup: { path: { thingGroupName: 'g1' }, query: {} },
  ListThingGroups: {
    path: {},
    query: { parentGroup: 'g1', namePrefixFilter: 'g', recursive: 'true', maxResults: '5' },
  },
  DeleteThingGroup: { path: { thingGroupName: 'g1' }, query: { expectedVersion: '1' } },
  AddThingToThingGroup: {
    path: {},
    query: {},
    body: '{"thingGroupName":"g1","thingName":"t1","overrideDynamicGroups":false}',
  },
  RemoveThingFromThingGroup: { path: {}, query: {}, body: '{"thingGroupName":"g1","thingName":"t1"}' },
  ListThingsInThingGroup: { path: { thingGroupName: 'g1' }, query: { recursive: 'true', maxResults: '5' } },
  ListThingGroupsForThing: { path: { thingName: 't1' }, query: { maxResults: '5' } },
  UpdateThingGroup: {
    path: { thingGroupName: 'g1' },
    query: {},
    body: '{"thingGroupProperties":{"thingGroupDescription":"d","attributePayload":{"attributes":{"a":"1"},"merge":true}},"expectedVersion":1}',
  },
  UpdateThingGroupsForThing: {
    path: {},
    query: {},
    body: '{"thingName":"t1","thingGroupsToAdd":["g1"],"thingGroupsToRemove":[],"overrideDynamicGroups":false}',
  },
  CreateDynamicThingGroup: {
    path: { thingGroupName: 'new-dynamic' },
    query: {},
    body: '{"queryString":"attributes.a:1","indexName":"AWS_Things","thingGroupProperties":{"thingGroupDescription":"d"}}',
  },
  UpdateDynamicThingGroup: {
    path: { thingGroupName: 'g1' },
    query: {},
    body: '{"thingGroupProperties":{"thingGroupDescription":"d"},"queryString":"attributes.a:2","expectedVersion":1}',
  },
  DeleteDynamicThingGroup: { path: { thingGroupName: 'g1' }, query: { expectedVersion: '1' } },
  CreateThingType: {
    path: { thingTypeName: 'new-type' },
    query: {},
    body: JSON.stringify({
      thingTypeProperties: {
        thingTypeDescription: 'd',
        searchableAttributes: ['a'],
        mqtt5Configuration: { propagatingAttributes: [{ userPropertyKey: 'k', thingAttribute: 'a' }] },
      },
    }),
  },
  DescribeThingType: { path: { thingTypeName: 'ty1' }, query: {} },
  ListThingTypes: { path: {}, query: { thingTypeName: 't', maxResults: '5' } },
  UpdateThingType: {
    path: { thingTypeName: 'ty1' },
    query: {},
    body: '{"thingTypeProperties":{"thingTypeDescription":"d"}}',
  },
  DeprecateThingType: { path: { thingTypeName: 'ty1' }, query: {}, body: '{"undoDeprecate":true}' },
  DeleteThingType: { path: { thingTypeName: 'ty1' }, query: {} },
  DescribeEndpoint: { path: {}, query: { endpointType: 'iot:Jobs' } },
  // Fleet indexing: nothing in GetIndexingConfiguration's request but a body it must not have.
  GetIndexingConfiguration: { path: {}, query: {} },
  UpdateIndexingConfiguration: {
    path: {},
    query: {},
    body: '{"thingIndexingConfiguration":{"thingIndexingMode":"REGISTRY"}}',
  },
  SearchIndex: { path: {}, query: {}, body: '{"indexName":"AWS_Things","queryString":"thingName:t1","maxResults":5}' },
  GetThingConnectivityData: { path: { thingName: 't1' }, query: {} },
  // The certificate registry: PEMs that are no certificates fail later (CertificateValidationException), so only the
  // request's own shape is broken here.
  RegisterCACertificate: { path: {}, query: { setAsActive: 'true' }, body: '{"caCertificate":"pem"}' },
  DescribeCACertificate: { path: { caCertificateId: CERT_ID }, query: {} },
  ListCACertificates: { path: {}, query: { pageSize: '5', isAscendingOrder: 'true' } },
  UpdateCACertificate: { path: { caCertificateId: CERT_ID }, query: { newStatus: 'INACTIVE' }, body: '{}' },
  DeleteCACertificate: { path: { caCertificateId: CERT_ID }, query: {} },
  RegisterCertificate: {
    path: {},
    query: {},
    body: '{"certificatePem":"pem","caCertificatePem":"pem","status":"ACTIVE"}',
  },
  RegisterCertificateWithoutCA: { path: {}, query: {}, body: '{"certificatePem":"pem","status":"INACTIVE"}' },
  DescribeCertificate: { path: { certificateId: CERT_ID }, query: {} },
  ListCertificates: { path: {}, query: { pageSize: '5' } },
  ListCertificatesByCA: { path: { caCertificateId: CERT_ID }, query: { pageSize: '5' } },
  UpdateCertificate: { path: { certificateId: CERT_ID }, query: { newStatus: 'INACTIVE' } },
  DeleteCertificate: { path: { certificateId: CERT_ID }, query: { forceDelete: 'true' } },
  AttachThingPrincipal: { path: { thingName: 't1' }, query: { thingPrincipalType: 'EXCLUSIVE_THING' } },
  DetachThingPrincipal: { path: { thingName: 't1' }, query: {} },
  ListThingPrincipals: { path: { thingName: 't1' }, query: { maxResults: '5' } },
  ListThingPrincipalsV2: {
    path: { thingName: 't1' },
    query: { maxResults: '5', thingPrincipalType: 'EXCLUSIVE_THING' },
  },
  ListPrincipalThings: { path: {}, query: { maxResults: '5' } },
  ListPrincipalThingsV2: { path: {}, query: { maxResults: '5' } },
  CreateKeysAndCertificate: { path: {}, query: { setAsActive: 'true' } },
  CreateCertificateFromCsr: { path: {}, query: {}, body: '{"certificateSigningRequest":"csr"}' },
};

// Values that break a field's rule.
const badName = (max: number, allowed: RegExp) =>
  fc.oneof(
    fc.constant(''),
    fc.string({ minLength: max + 1, maxLength: max + 40, unit: fc.constantFrom('a', 'b', '1') }),
    fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.string({ minLength: 1, maxLength: 3 }).filter((s) => !allowed.test(s)),
        fc.string({ maxLength: 10 }),
      )
      .map((parts) => parts.join('')),
  );
const badThingName = badName(128, /^[a-zA-Z0-9:_-]+$/);
const badJobId = badName(64, /^[a-zA-Z0-9_-]+$/);
const notBoolean = fc.string({ maxLength: 8 }).filter((s) => s !== 'true' && s !== 'false');
const notInteger = fc.oneof(
  fc.string({ maxLength: 8 }).filter((s) => !/^-?\d+$/.test(s)),
  fc.constantFrom('0.5', '1e3', '99999999999999999999'),
);
const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,', 'nul', "{'a':1}"),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && !isJson(s)),
);
const notObject = fc.oneof(
  fc.constantFrom('[]', '[1,2]', '42', '"text"', 'true'),
  fc.array(fc.integer(), { maxLength: 3 }).map((a) => JSON.stringify(a)),
);
// Never null (nor NaN or Infinity, which JSON writes as null): an optional member sent as null is absent, as restJson1
// clients mean it.
const wrongType = fc.oneof(
  fc.boolean() as fc.Arbitrary<unknown>,
  fc.string({ maxLength: 5 }),
  fc.array(fc.nat(), { maxLength: 2 }),
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  fc.object({ maxDepth: 1 }),
);
const badStatusDetails = fc.oneof(
  fc.constantFrom<unknown>([], 5, 'x', { k: 5 }, { k: '' }, { 'bad key!': 'v' }, { k: 'a\u0000b' }),
  fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'), fc.constant('v'), {
    minKeys: 11,
    maxKeys: 12,
  }),
);

const badAttributeValue = fc.oneof(
  fc.string({ minLength: 801, maxLength: 820, unit: fc.constantFrom('a', '1') }),
  fc
    .tuple(fc.string({ maxLength: 5 }), fc.constantFrom(' ', '!', '"', '%', '\u0000', 'é'), fc.string({ maxLength: 5 }))
    .map((parts) => parts.join('')),
);
const badAttributePayload = fc.oneof(
  wrongType.filter((v) => typeof v !== 'object' || Array.isArray(v)),
  fc.constantFrom<unknown>(
    { attributes: [] },
    { attributes: 'x' },
    { attributes: { k: 5 } },
    { attributes: { 'bad key!': 'v' } },
    { attributes: { a: '1', b: '2', c: '3', d: '4' } },
  ),
  badAttributeValue.map((value) => ({ attributes: { k: value } })),
);

/** A job's configs, each broken one rule at a time (an empty object is a valid rollout config: AWS's default rate). */
const CRITERION = { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 };
const RATE = { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 10 } };
const BAD_CONFIGS: Record<string, unknown[]> = {
  timeoutConfig: [
    { inProgressTimeoutInMinutes: 0 },
    { inProgressTimeoutInMinutes: 10081 },
    { inProgressTimeoutInMinutes: 'x' },
  ],
  jobExecutionsRolloutConfig: [
    { maximumPerMinute: 0 },
    { maximumPerMinute: 1001 },
    { maximumPerMinute: 1.5 },
    { exponentialRate: RATE },
    { maximumPerMinute: 50, exponentialRate: { ...RATE, incrementFactor: 1.25 } },
    { maximumPerMinute: 50, exponentialRate: { ...RATE, rateIncreaseCriteria: {} } },
    { maximumPerMinute: 4, exponentialRate: RATE },
    { maximumPerMinute: 50, exponentialRate: 'fast' },
  ],
  abortConfig: [
    {},
    { criteriaList: [] },
    { criteriaList: [{ ...CRITERION, failureType: 'SLOW' }] },
    { criteriaList: [{ ...CRITERION, thresholdPercentage: 100.5 }] },
    { criteriaList: [{ ...CRITERION, minNumberOfExecutedThings: 0 }] },
    { criteriaList: 'x' },
  ],
  schedulingConfig: [
    { startTime: 'soon' },
    { startTime: '2020-01-01T00:00' },
    { endTime: '2020-01-01T00:00' },
    { endBehavior: 'PAUSE' },
    { maintenanceWindows: 'nightly' },
    { maintenanceWindows: [{ startTime: '0 22 * * *', durationInMinutes: 60 }] },
    { maintenanceWindows: [{ startTime: 'cron(0 22 ? * 9 *)', durationInMinutes: 60 }] },
    { maintenanceWindows: [{ startTime: 'cron(0 22 ? * MON *)', durationInMinutes: 0 }] },
    { maintenanceWindows: [{ durationInMinutes: 60 }] },
  ],
  jobExecutionsRetryConfig: [
    {},
    { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 11 }] },
    { criteriaList: [{ failureType: 'REJECTED', numberOfRetries: 1 }] },
    {
      criteriaList: [
        { failureType: 'ALL', numberOfRetries: 1 },
        { failureType: 'FAILED', numberOfRetries: 1 },
      ],
    },
  ],
};

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Ways to break a request that each route reads, by what it reads. */
function badRequests(route: RouteDefinition): fc.Arbitrary<Request>[] {
  const base = VALID[functionIdOf(route)]!;
  const withPath = (name: string, value: fc.Arbitrary<string>) =>
    value.map((v) => ({ ...base, path: { ...base.path, [name]: v } }));
  const withQuery = (name: string, value: fc.Arbitrary<string>) =>
    value.map((v) => ({ ...base, query: { ...base.query, [name]: v } }));
  const withBody = (body: fc.Arbitrary<string>) => body.map((b) => ({ ...base, body: b }));
  const withMember = (name: string, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ ...base, body: JSON.stringify({ ...(JSON.parse(base.body ?? '{}') as object), [name]: v }) }));

  const out: fc.Arbitrary<Request>[] = [withBody(notJson)];
  if (base.body !== undefined) out.push(withBody(notObject));
  if ('thingName' in base.path) out.push(withPath('thingName', badThingName));
  if ('thingGroupName' in base.path) out.push(withPath('thingGroupName', badThingName));
  if ('thingTypeName' in base.path) out.push(withPath('thingTypeName', badThingName));
  if ('jobId' in base.path)
    out.push(
      withPath(
        'jobId',
        route.operation === 'StartNextPendingJobExecution'
          ? fc.string({ maxLength: 10 }).filter((s) => s !== '$next')
          : badJobId,
      ),
    );
  if ('jobTemplateId' in base.path) out.push(withPath('jobTemplateId', badJobId));
  for (const name of ['certificateId', 'caCertificateId'])
    if (name in base.path)
      out.push(withPath(name, fc.oneof(fc.constantFrom('', 'c'.repeat(63), 'c'.repeat(65), 'g'.repeat(64)), badJobId)));
  if ('executionNumber' in base.path)
    out.push(withPath('executionNumber', fc.oneof(notInteger, fc.constantFrom('0', '-1'))));
  for (const name of Object.keys(base.query)) {
    if (
      ['force', 'includeJobDocument', 'beforeSubstitution', 'setAsActive', 'isAscendingOrder', 'forceDelete'].includes(
        name,
      )
    )
      out.push(withQuery(name, notBoolean));
    if (name === 'pageSize') out.push(withQuery(name, fc.oneof(notInteger, fc.constantFrom('0', '251', '-3'))));
    if (name === 'newStatus' || name === 'thingPrincipalType')
      out.push(withQuery(name, fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('PENDING_TRANSFER', 'active'))));
    if (name === 'maxResults') out.push(withQuery(name, fc.oneof(notInteger, fc.constantFrom('0', '251', '-3'))));
    // Any whole number is a well-formed executionNumber (one that does not exist is a 404).
    if (name === 'executionNumber') out.push(withQuery(name, fc.oneof(notInteger, fc.constantFrom('-1', '-20'))));
    if (name === 'status')
      out.push(
        withQuery(
          name,
          fc.string({ maxLength: 12 }).filter((s) => !/^[A-Z_]+$/.test(s) || s.length < 3),
        ),
      );
    if (name === 'jobId') out.push(withQuery(name, badJobId));
    if (name === 'usePrefixAttributeValue' || name === 'recursive') out.push(withQuery(name, notBoolean));
    if (name === 'parentGroup' || name === 'namePrefixFilter' || name === 'thingGroupName' || name === 'thingTypeName')
      out.push(withQuery(name, badThingName));
    if (name === 'attributeName') out.push(withQuery(name, badName(128, /^[a-zA-Z0-9_.,@/:#-]+$/)));
    if (name === 'attributeValue') out.push(withQuery(name, badAttributeValue));
    if (name === 'expectedVersion') out.push(withQuery(name, fc.oneof(notInteger, fc.constantFrom('-1'))));
    if (name === 'endpointType') out.push(withQuery(name, fc.string({ minLength: 129, maxLength: 160 })));
  }
  // The certificate lists page with marker, AWS's older name for it.
  const pageToken = ['ListCACertificates', 'ListCertificates', 'ListCertificatesByCA'].includes(route.operation)
    ? 'marker'
    : 'nextToken';
  if (route.operation.startsWith('List')) out.push(withQuery(pageToken, fc.string({ minLength: 1, maxLength: 60 })));
  const members = base.body ? Object.keys(JSON.parse(base.body) as object) : [];
  for (const member of members) {
    if (member === 'statusDetails') out.push(withMember(member, badStatusDetails));
    else if (member === 'stepTimeoutInMinutes')
      out.push(withMember(member, fc.oneof(fc.constantFrom(0, 10081, -2, 1.5), wrongType)));
    else if (member === 'targets')
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constant([] as unknown),
            wrongType,
            fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 }),
          ),
        ),
      );
    else if (member === 'attributePayload') out.push(withMember(member, badAttributePayload));
    else if (member === 'overrideDynamicGroups')
      out.push(
        withMember(
          member,
          wrongType.filter((v) => typeof v !== 'boolean'),
        ),
      );
    else if (member === 'thingGroupName' || member === 'thingName' || member === 'parentGroupName')
      out.push(
        withMember(
          member,
          fc.oneof(
            badThingName as fc.Arbitrary<unknown>,
            wrongType.filter((v) => typeof v !== 'string'),
          ),
        ),
      );
    else if (member === 'thingGroupProperties')
      out.push(
        withMember(
          member,
          fc.oneof(
            wrongType.filter((v) => typeof v !== 'object' || Array.isArray(v)),
            fc.constantFrom<unknown>(
              { thingGroupDescription: 5 },
              { thingGroupDescription: 'a\u0000b' },
              { attributePayload: { attributes: { 'bad key!': 'v' } } },
              { attributePayload: 'x' },
            ),
          ),
        ),
      );
    else if (member === 'thingTypeProperties')
      out.push(
        withMember(
          member,
          fc.oneof(
            wrongType.filter((v) => typeof v !== 'object' || Array.isArray(v)),
            fc.constantFrom<unknown>(
              { thingTypeDescription: 5 },
              { thingTypeDescription: 'a\u0000b' },
              { searchableAttributes: ['a', 'b', 'c', 'd'] },
              { searchableAttributes: 'a' },
              { searchableAttributes: ['bad key!'] },
              { mqtt5Configuration: 5 },
              { mqtt5Configuration: { propagatingAttributes: 'x' } },
              { mqtt5Configuration: { propagatingAttributes: [{ userPropertyKey: 'a b' }] } },
            ),
          ),
        ),
      );
    else if (member === 'undoDeprecate')
      out.push(
        withMember(
          member,
          wrongType.filter((v) => typeof v !== 'boolean'),
        ),
      );
    else if (member === 'maintenanceWindows')
      out.push(
        withMember(
          member,
          fc.constantFrom<unknown>(
            'nightly',
            5,
            {},
            [{ startTime: '0 22 * * *', durationInMinutes: 60 }],
            [{ startTime: 'cron(0 22 ? * MON *)', durationInMinutes: 0 }],
            [5],
          ),
        ),
      );
    else if (member in BAD_CONFIGS)
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constantFrom<unknown>(...BAD_CONFIGS[member]!),
            wrongType.filter((v) => typeof v !== 'object' || Array.isArray(v)),
          ),
        ),
      );
    else if (member === 'thingGroupsToAdd' || member === 'thingGroupsToRemove')
      out.push(
        withMember(
          member,
          fc.oneof(
            wrongType.filter((v) => !Array.isArray(v) && v !== null),
            fc.constantFrom<unknown>(
              ['bad name!'],
              [5],
              [''],
              Array.from({ length: 11 }, (_, i) => `g${i}`),
            ),
          ),
        ),
      );
    else if (['caCertificate', 'caCertificatePem', 'certificatePem', 'certificateSigningRequest'].includes(member))
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constant<unknown>(''),
            wrongType.filter((v) => typeof v !== 'string'),
          ),
        ),
      );
    else if (member === 'indexName' || member === 'queryString')
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constant<unknown>(''),
            wrongType.filter((v) => typeof v !== 'string'),
          ),
        ),
      );
    else if (member === 'maxResults')
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constantFrom<unknown>(0, 501, -1, 1.5),
            wrongType.filter((v) => typeof v !== 'number'),
          ),
        ),
      );
    else if (member === 'reasonCode')
      out.push(
        withMember(
          member,
          fc.oneof(
            fc.constantFrom('lower', 'A B', ''),
            wrongType.filter((v) => typeof v !== 'string'),
          ),
        ),
      );
    else
      out.push(
        withMember(
          member,
          // Any text is a query's to judge (InvalidQueryException), and an index's name to find.
          wrongType.filter(
            (v) =>
              !(
                typeof v === 'string' &&
                ['comment', 'description', 'document', 'queryString', 'indexName', 'queryVersion'].includes(member)
              ),
          ),
        ),
      );
  }
  return out;
}

function event(request: Request): APIGatewayProxyEventV2 {
  return gatewayEvent({
    path: request.path,
    query: request.query,
    ...(request.body !== undefined ? { body: request.body } : {}),
    requestId: 'fuzz',
  });
}

async function snapshot(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.map((i) => JSON.stringify(i)).sort());
}

beforeAll(async () => {
  table = await createTestTable();
  // Its valid CreateJob targets a thing it never registers (the stack's implicitThings=true).
  Object.assign(process.env, {
    [ENVIRONMENT.tableName]: table.tableName,
    [ENVIRONMENT.dynamoEndpoint]: table.endpoint,
    [ENVIRONMENT.logLevel]: 'error',
    [ENVIRONMENT.implicitThings]: 'true',
  });
  for (const route of ROUTES)
    handlers[functionIdOf(route)] = (
      (await import(handlerModulePath(route.handlerFile))) as { handler: Handler }
    ).handler;
  // A job and its execution for the valid base requests to name.
  const create = await handlers.CreateJob!(
    event({
      path: { jobId: 'j1' },
      query: {},
      body: '{"targets":["arn:aws:iot:us-east-1:123456789012:thing/t1"],"document":"{}"}',
    }),
  );
  expect(create.statusCode).toBe(200);
  await seedExecutions(table, [executionRecord('t2', 'j1')]);
  // The thing and group the registry's base requests name.
  expect((await handlers.CreateThing!(event({ path: { thingName: 't1' }, query: {}, body: '{}' }))).statusCode).toBe(
    200,
  );
  expect(
    (await handlers.CreateThingGroup!(event({ path: { thingGroupName: 'g1' }, query: {}, body: '{}' }))).statusCode,
  ).toBe(200);
  expect(
    (
      await handlers.CreateJobTemplate!(
        event({ path: { jobTemplateId: 'tpl1' }, query: {}, body: '{"description":"t","document":"{}"}' }),
      )
    ).statusCode,
  ).toBe(200);
});

describe('bad requests, generated', () => {
  it('cover every route', () => {
    expect(ROUTES.map(functionIdOf).sort()).toEqual(Object.keys(VALID).sort());
  });

  it.each(ROUTES.map((route) => [functionIdOf(route), route] as const))(
    '%s answers every one with 400 InvalidRequestException and a message, and changes nothing',
    async (id, route) => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(fc.oneof(...badRequests(route)), async (request) => {
          const response = await handlers[id]!(event(request));
          expect(response.statusCode).toBe(400);
          expect(response.headers?.['x-amzn-ErrorType']).toBe('InvalidRequestException');
          const message = (JSON.parse(response.body ?? '{}') as { message?: unknown }).message;
          expect(typeof message === 'string' && message.length > 0).toBe(true);
        }),
        { numRuns: 250 },
      );
      expect(await snapshot()).toBe(before);
    },
  );
});
