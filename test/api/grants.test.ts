import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BindableRoute } from '../../lambdas/api/define-route';
import type { RouteHandler } from '../../lambdas/api/http/route-handler';
import { parseCreateJob } from '../../lambdas/api/requests/create-job-request';
import {
  functionIdOf,
  handlerModulePath,
  JOB_COUNTS_AGGREGATOR,
  JOB_WORKER,
  MEMBERSHIP_REACTOR,
  ROUTES,
  type RouteDefinition,
  TIMEOUT_SWEEPER,
} from '../../lambdas/api/routes';
import { fanOutSources, newJobWork } from '../../lambdas/jobs/fleet/fan-out';
import { newJob } from '../../lambdas/jobs/management/job';
import { certificateArn, thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { buildServices, DEFAULT_ARN_CONTEXT, type Services } from '../../lambdas/runtime';
import { JOBS_TABLE } from '../../lambdas/store/table/table-design';
import { thingArn } from '../support/arns';
import { gatewayEvent } from '../support/gateway-event';
import { type Grant, guardGrants } from '../support/grant-guard';
import { createServices } from '../support/services';
import { certificateIdOf, makeTestCertificates } from '../support/test-certificates';

/**
 * Every route, the sweeper and the aggregator run on a DynamoDB client that
 * refuses, as IAM would, any action or index outside the grant the stack
 * gives that function: on their success paths, their error paths and
 * CreateJob's resume path. A call the code makes but the role does not allow
 * fails here, not in a deployed account.
 */
type Seeded = Awaited<ReturnType<typeof createServices>>;
let seeded: Seeded;
const refusals: string[] = [];

function guardedServices(grant: Grant): Services {
  return buildServices({
    tableName: seeded.table.tableName,
    dynamoEndpoint: seeded.table.endpoint,
    ...DEFAULT_ARN_CONTEXT,
    clock: seeded.clock,
    observeDynamoClient: (client) => guardGrants(client, grant, refusals),
  });
}

const handlers = new Map<RouteDefinition, RouteHandler>();
const routeOf = (functionId: string) => ROUTES.find((route) => functionIdOf(route) === functionId)!;

async function call(
  functionId: string,
  parts: {
    path?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<APIGatewayProxyStructuredResultV2> {
  const route = routeOf(functionId);
  return await handlers.get(route)!(gatewayEvent({ route, ...parts }));
}

const document = (jobId: string) => `{"job":"${jobId}"}`;
const createBody = (jobId: string, things: string[]) => ({ targets: things.map(thingArn), document: document(jobId) });

beforeAll(async () => {
  seeded = await createServices();
  for (const route of ROUTES) {
    const module = (await import(handlerModulePath(route.handlerFile))) as BindableRoute;
    const services = guardedServices(route);
    handlers.set(
      route,
      module.bind(() => services),
    );
  }
  await seeded.createJob('g1', ['t1', 't2', 't3', 't4']);
  await seeded.createJob('g-retry', ['rt1'], {
    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
  });
  // The things the CreateJob steps target are registered: the functions run as deployed, where a target must be.
  for (const thingName of ['t5', 't6', 'r1', 'r2'])
    await seeded.services.registry.createThing({ thingName, attributes: {} });
  // A CreateJob that died before its fan-out: the job item, and no executions.
  const interrupted = newJob(
    parseCreateJob({ path: { jobId: 'resume' }, query: {}, body: createBody('resume', ['r1', 'r2']) }),
    DEFAULT_ARN_CONTEXT,
    'inc-r',
    seeded.clock(),
  );
  await seeded.stores.jobs.createJob(interrupted, newJobWork(interrupted, fanOutSources([]), false));
});

// The certificate registry's steps, on certificates made at load (their bodies name them).
const CERTS = makeTestCertificates(['g-c1', 'g-c2', 'g-c3']);
const CA_ID = certificateIdOf(CERTS.caPem);
const pemOf = (name: string) => CERTS.devices[name]!.pem;
const certId = (name: string) => certificateIdOf(pemOf(name));
const principal = (name: string) => ({ 'x-amzn-principal': certificateArn(DEFAULT_ARN_CONTEXT, certId(name)) });
const CERTIFICATE_STEPS: typeof STEPS = [
  [
    'RegisterCACertificate',
    'registers a CA',
    { query: { setAsActive: 'true' }, body: { caCertificate: CERTS.caPem } },
    200,
  ],
  ['RegisterCACertificate', 'refuses it again', { body: { caCertificate: CERTS.caPem } }, 409],
  ['DescribeCACertificate', 'describes', { path: { caCertificateId: CA_ID } }, 200],
  ['DescribeCACertificate', 'a missing CA', { path: { caCertificateId: 'a'.repeat(64) } }, 404],
  ['ListCACertificates', 'lists', { query: { pageSize: '1' } }, 200],
  ['RegisterCertificate', 'finds its CA', { body: { certificatePem: pemOf('g-c1'), status: 'ACTIVE' } }, 200],
  [
    'RegisterCertificate',
    'with its CA',
    { body: { certificatePem: pemOf('g-c2'), caCertificatePem: CERTS.caPem } },
    200,
  ],
  ['RegisterCertificate', 'refuses it again', { body: { certificatePem: pemOf('g-c1') } }, 409],
  ['RegisterCertificateWithoutCA', 'registers', { body: { certificatePem: pemOf('g-c3') } }, 200],
  ['DescribeCertificate', 'describes', { path: { certificateId: certId('g-c1') } }, 200],
  ['ListCertificates', 'lists', { query: { pageSize: '1' } }, 200],
  ['ListCertificatesByCA', 'lists', { path: { caCertificateId: CA_ID } }, 200],
  ['UpdateCertificate', 'activates', { path: { certificateId: certId('g-c3') }, query: { newStatus: 'ACTIVE' } }, 200],
  ['UpdateCertificate', 'revokes', { path: { certificateId: certId('g-c3') }, query: { newStatus: 'REVOKED' } }, 200],
  [
    'UpdateCertificate',
    'refuses a revoked one',
    { path: { certificateId: certId('g-c3') }, query: { newStatus: 'ACTIVE' } },
    406,
  ],
  ['AttachThingPrincipal', 'attaches', { path: { thingName: 't6' }, headers: principal('g-c1') }, 200],
  ['AttachThingPrincipal', 'a missing thing', { path: { thingName: 'nope' }, headers: principal('g-c1') }, 404],
  [
    'AttachThingPrincipal',
    'refuses exclusively one attached elsewhere',
    { path: { thingName: 'reg-1' }, query: { thingPrincipalType: 'EXCLUSIVE_THING' }, headers: principal('g-c1') },
    400,
  ],
  ['ListThingPrincipals', 'lists', { path: { thingName: 't6' } }, 200],
  ['ListThingPrincipalsV2', 'lists', { path: { thingName: 't6' } }, 200],
  ['ListPrincipalThings', 'lists', { headers: principal('g-c1') }, 200],
  ['ListPrincipalThingsV2', 'lists', { headers: principal('g-c1') }, 200],
  ['DeleteThing', 'refuses a thing certificates are attached to', { path: { thingName: 't6' } }, 400],
  ['DeleteCertificate', 'refuses an ACTIVE one', { path: { certificateId: certId('g-c1') } }, 406],
  ['DetachThingPrincipal', 'detaches', { path: { thingName: 't6' }, headers: principal('g-c1') }, 200],
  ['DeleteCertificate', 'deletes', { path: { certificateId: certId('g-c3') } }, 200],
  ['UpdateCACertificate', 'deactivates', { path: { caCertificateId: CA_ID }, query: { newStatus: 'INACTIVE' } }, 200],
  ['DeleteCACertificate', 'refuses one that signed registered certificates', { path: { caCertificateId: CA_ID } }, 406],
  // Deployed, nothing signs them: refused before any call.
  ['CreateKeysAndCertificate', 'refuses without a CA key', { query: { setAsActive: 'true' } }, 400],
  ['CreateCertificateFromCsr', 'refuses without a CA key', { body: { certificateSigningRequest: 'csr' } }, 400],
];

// In order: each step may rely on the ones before it.
const STEPS: [
  functionId: string,
  what: string,
  parts: {
    path?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  },
  status: number,
][] = [
  ['GetPendingJobExecutions', 'lists', { path: { thingName: 't1' } }, 200],
  ['DescribeJobExecution', '$next, with its document', { path: { thingName: 't1', jobId: '$next' } }, 200],
  ['DescribeJobExecution', 'a missing execution', { path: { thingName: 't1', jobId: 'nope' } }, 404],
  [
    'StartNextPendingJobExecution',
    'starts with a step timer',
    { path: { thingName: 't1', jobId: '$next' }, body: { stepTimeoutInMinutes: 1 } },
    200,
  ],
  [
    'StartNextPendingJobExecution',
    'starts another',
    { path: { thingName: 't2', jobId: '$next' }, body: { stepTimeoutInMinutes: 1 } },
    200,
  ],
  [
    'UpdateJobExecution',
    'updates at its version, with state and document',
    {
      path: { thingName: 't1', jobId: 'g1' },
      body: {
        status: 'IN_PROGRESS',
        expectedVersion: 2,
        stepTimeoutInMinutes: 1,
        includeJobExecutionState: true,
        includeJobDocument: true,
      },
    },
    200,
  ],
  [
    'UpdateJobExecution',
    'is refused at a stale version',
    { path: { thingName: 't1', jobId: 'g1' }, body: { status: 'SUCCEEDED', expectedVersion: 1 } },
    409,
  ],
  [
    'UpdateJobExecution',
    'a missing execution',
    { path: { thingName: 'nobody', jobId: 'g1' }, body: { status: 'SUCCEEDED' } },
    404,
  ],
  ['CreateJob', 'creates', { path: { jobId: 'g2' }, body: createBody('g2', ['t5']) }, 200],
  [
    'CreateJob',
    'refuses a thing that is not registered',
    { path: { jobId: 'g3' }, body: createBody('g3', ['t5', 'unregistered']) },
    404,
  ],
  ['CreateJob', 'refuses a taken jobId', { path: { jobId: 'g2' }, body: createBody('g2', ['t6']) }, 409],
  [
    'CreateJob',
    'resumes an interrupted fan-out',
    { path: { jobId: 'resume' }, body: createBody('resume', ['r1', 'r2']) },
    200,
  ],
  [
    'CreateJob',
    'refuses the same jobId once it is complete',
    { path: { jobId: 'resume' }, body: createBody('resume', ['r1', 'r2']) },
    409,
  ],
  [
    'UpdateJob',
    'changes the description and the rollout rate of a job still fanning out',
    {
      path: { jobId: 'g2' },
      body: {
        description: 'tuned',
        jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
        abortConfig: {
          criteriaList: [
            { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 },
          ],
        },
      },
    },
    200,
  ],
  ['UpdateJob', 'a missing job', { path: { jobId: 'nope' }, body: { description: 'x' } }, 404],
  [
    'CreateJobTemplate',
    'creates a template',
    {
      path: { jobTemplateId: 'tpl-g' },
      body: { description: 'd', document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 5 } },
    },
    200,
  ],
  [
    'CreateJobTemplate',
    'creates a template from a job',
    {
      path: { jobTemplateId: 'tpl-j' },
      body: { description: 'd', jobArn: 'arn:aws:iot:us-east-1:123456789012:job/g1' },
    },
    200,
  ],
  [
    'CreateJobTemplate',
    'refuses a taken ID',
    { path: { jobTemplateId: 'tpl-g' }, body: { description: 'd', document: '{}' } },
    409,
  ],
  ['DescribeJobTemplate', 'describes', { path: { jobTemplateId: 'tpl-g' } }, 200],
  ['DescribeJobTemplate', 'a missing template', { path: { jobTemplateId: 'nope' } }, 404],
  ['ListJobTemplates', 'lists', { query: { maxResults: '1' } }, 200],
  ['ListManagedJobTemplates', 'lists, reading no table', { query: { maxResults: '2' } }, 200],
  ['DescribeManagedJobTemplate', 'describes, reading no table', { path: { templateName: 'AWS-Reboot' } }, 200],
  ['DescribeManagedJobTemplate', 'a missing template', { path: { templateName: 'AWS-Nothing' } }, 404],
  [
    'CreateJob',
    'creates from a managed template',
    {
      path: { jobId: 'g-managed' },
      body: {
        targets: [thingArn('t6')],
        jobTemplateArn: 'arn:aws:iot:us-east-1::jobtemplate/AWS-Download-File:1.0',
        documentParameters: { downloadUrl: 'https://example.com/f', filePath: '/tmp/f' },
      },
    },
    200,
  ],
  [
    'CreateJob',
    'creates from a template',
    {
      path: { jobId: 'g-tpl' },
      body: { targets: [thingArn('t6')], jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/tpl-g' },
    },
    200,
  ],
  ['DeleteJobTemplate', 'deletes', { path: { jobTemplateId: 'tpl-j' } }, 200],
  ['DeleteJobTemplate', 'a missing template', { path: { jobTemplateId: 'tpl-j' } }, 404],
  ['DescribeJob', 'describes', { path: { jobId: 'g1' } }, 200],
  ['DescribeJob', 'a missing job', { path: { jobId: 'nope' } }, 404],
  ['GetJobDocument', 'reads the document', { path: { jobId: 'g1' } }, 200],
  ['ListJobs', 'lists', {}, 200],
  ['ListJobs', 'lists by status', { query: { status: 'IN_PROGRESS', maxResults: '1' } }, 200],
  [
    'ListJobs',
    'lists by thing group and target selection',
    { query: { thingGroupName: 'gr-root', targetSelection: 'CONTINUOUS' } },
    200,
  ],
  ['ListJobExecutionsForJob', 'lists', { path: { jobId: 'g1' }, query: { maxResults: '2' } }, 200],
  ['ListJobExecutionsForJob', 'lists by status', { path: { jobId: 'g1' }, query: { status: 'QUEUED' } }, 200],
  ['ListJobExecutionsForJob', 'a missing job', { path: { jobId: 'nope' } }, 404],
  [
    'ListJobExecutionsForJob',
    "lists a job with retries (each execution's retryAttempt)",
    { path: { jobId: 'g-retry' } },
    200,
  ],
  ['ListJobExecutionsForThing', 'lists', { path: { thingName: 't1' } }, 200],
  ['ManagementDescribeJobExecution', 'describes', { path: { thingName: 't1', jobId: 'g1' } }, 200],
  ['ManagementDescribeJobExecution', 'a missing execution', { path: { thingName: 't1', jobId: 'nope' } }, 404],
  ['CancelJobExecution', 'cancels a QUEUED one', { path: { thingName: 't3', jobId: 'g1' }, body: {} }, 200],
  ['CancelJobExecution', 'is refused on a terminal one', { path: { thingName: 't3', jobId: 'g1' }, body: {} }, 409],
  [
    'DeleteJobExecution',
    'deletes a terminal one',
    { path: { thingName: 't3', jobId: 'g1', executionNumber: '1' } },
    200,
  ],
  [
    'DeleteJobExecution',
    'is refused on a running one',
    { path: { thingName: 't1', jobId: 'g1', executionNumber: '1' } },
    409,
  ],
  ['DeleteJobExecution', 'a missing execution', { path: { thingName: 't3', jobId: 'g1', executionNumber: '1' } }, 404],
  [
    'CancelJob',
    'cancels with force',
    { path: { jobId: 'g1' }, query: { force: 'true' }, body: { reasonCode: 'TEST' } },
    200,
  ],
  ['CancelJob', 'a missing job', { path: { jobId: 'nope' }, body: {} }, 404],
  ['DeleteJob', 'deletes a canceled job and its executions', { path: { jobId: 'g1' } }, 200],
  ['DeleteJob', 'refuses a running job without force', { path: { jobId: 'g2' } }, 409],
  ['DeleteJob', 'a missing job', { path: { jobId: 'nope' } }, 404],
  [
    'CreateThing',
    'registers a thing',
    { path: { thingName: 'reg-1' }, body: { attributePayload: { attributes: { a: '1' } } } },
    200,
  ],
  [
    'CreateThing',
    'answers the same again',
    { path: { thingName: 'reg-1' }, body: { attributePayload: { attributes: { a: '1' } } } },
    200,
  ],
  ['CreateThing', 'refuses other attributes', { path: { thingName: 'reg-1' }, body: {} }, 409],
  ['DescribeThing', 'describes', { path: { thingName: 'reg-1' } }, 200],
  ['DescribeThing', 'a missing thing', { path: { thingName: 'nope' } }, 404],
  ['ListThings', 'lists', { query: { maxResults: '1' } }, 200],
  ['ListThings', 'lists by attribute', { query: { attributeName: 'a', attributeValue: '1' } }, 200],
  [
    'UpdateThing',
    'merges attributes',
    { path: { thingName: 'reg-1' }, body: { attributePayload: { attributes: { b: '2' }, merge: true } } },
    200,
  ],
  ['UpdateThing', 'refuses a stale version', { path: { thingName: 'reg-1' }, body: { expectedVersion: 1 } }, 409],
  ['CreateThingGroup', 'creates a root group', { path: { thingGroupName: 'gr-root' }, body: {} }, 200],
  [
    'CreateThingGroup',
    'creates a child group',
    { path: { thingGroupName: 'gr-child' }, body: { parentGroupName: 'gr-root' } },
    200,
  ],
  ['CreateThingGroup', 'refuses a taken name', { path: { thingGroupName: 'gr-child' }, body: {} }, 409],
  ['DescribeThingGroup', 'describes', { path: { thingGroupName: 'gr-child' } }, 200],
  ['ListThingGroups', 'lists descendants', { query: { parentGroup: 'gr-root', recursive: 'true' } }, 200],
  ['AddThingToThingGroup', 'adds a thing', { body: { thingGroupName: 'gr-child', thingName: 't5' } }, 200],
  [
    'AddThingToThingGroup',
    'refuses a second group of the tree',
    { body: { thingGroupName: 'gr-root', thingName: 't5' } },
    400,
  ],
  ['AddThingToThingGroup', 'a missing thing', { body: { thingGroupName: 'gr-root', thingName: 'nope' } }, 404],
  [
    'ListThingsInThingGroup',
    'lists recursively',
    { path: { thingGroupName: 'gr-root' }, query: { recursive: 'true' } },
    200,
  ],
  ['ListThingGroupsForThing', 'lists', { path: { thingName: 't5' } }, 200],
  [
    'UpdateThingGroup',
    'merges attributes',
    {
      path: { thingGroupName: 'gr-child' },
      body: { thingGroupProperties: { attributePayload: { attributes: { a: '1' }, merge: true } } },
    },
    200,
  ],
  [
    'UpdateThingGroup',
    'refuses a stale version',
    { path: { thingGroupName: 'gr-child' }, body: { thingGroupProperties: {}, expectedVersion: 1 } },
    409,
  ],
  [
    'UpdateThingGroupsForThing',
    'moves a thing within its tree',
    { body: { thingName: 't5', thingGroupsToRemove: ['gr-child'], thingGroupsToAdd: ['gr-root'] } },
    200,
  ],
  [
    'UpdateThingGroupsForThing',
    'moves it back',
    { body: { thingName: 't5', thingGroupsToRemove: ['gr-root'], thingGroupsToAdd: ['gr-child'] } },
    200,
  ],
  ['UpdateThingGroupsForThing', 'a missing group', { body: { thingName: 't5', thingGroupsToAdd: ['nope'] } }, 404],
  ['ListJobExecutionHistory', "lists a thing's history", { path: { thingName: 't1' } }, 200],
  [
    'ListJobExecutionHistory',
    "lists one job's",
    { path: { thingName: 't1' }, query: { jobId: 'g1', maxResults: '2' } },
    200,
  ],
  [
    'ListJobCountsHistory',
    "lists a job's counts over time",
    { path: { jobId: 'g2' }, query: { maxResults: '2' } },
    200,
  ],
  ['ListJobCountsHistory', 'a missing job', { path: { jobId: 'nope' } }, 404],
  ['RemoveThingFromThingGroup', 'removes a thing', { body: { thingGroupName: 'gr-child', thingName: 't5' } }, 200],
  ['AddThingToThingGroup', 'adds it again', { body: { thingGroupName: 'gr-child', thingName: 't5' } }, 200],
  [
    'CreateJob',
    'creates a continuous job over a group',
    { path: { jobId: 'g-cont' }, body: { ...createBody('g-cont', ['t6']), targetSelection: 'CONTINUOUS' } },
    200,
  ],
  [
    'AssociateTargetsWithJob',
    'adds a group, with its things below',
    { path: { jobId: 'g-cont' }, body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'gr-root')], comment: 'more' } },
    200,
  ],
  [
    'AssociateTargetsWithJob',
    'refuses a snapshot job',
    { path: { jobId: 'g2' }, body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'gr-root')] } },
    400,
  ],
  [
    'AssociateTargetsWithJob',
    'a missing group',
    { path: { jobId: 'g-cont' }, body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'nope')] } },
    404,
  ],
  ['DeleteThingGroup', 'keeps a group with a child', { path: { thingGroupName: 'gr-root' } }, 400],
  ['DeleteThingGroup', 'deletes a group and its memberships', { path: { thingGroupName: 'gr-child' } }, 200],
  ...CERTIFICATE_STEPS,
  ['DeleteThing', 'deletes a thing and its executions', { path: { thingName: 't5' } }, 200],
  ['DeleteThing', 'a missing thing', { path: { thingName: 'nope' } }, 200],
  ['CreateThingType', 'creates a type', { path: { thingTypeName: 'ty-1' }, body: {} }, 200],
  [
    'CreateThingType',
    'refuses other properties',
    { path: { thingTypeName: 'ty-1' }, body: { thingTypeProperties: { thingTypeDescription: 'd' } } },
    409,
  ],
  ['DescribeThingType', 'describes', { path: { thingTypeName: 'ty-1' } }, 200],
  ['DescribeEndpoint', 'told no address, says so, reading nothing', { query: { endpointType: 'iot:Jobs' } }, 400],
  ['DescribeThingType', 'a missing type', { path: { thingTypeName: 'nope' } }, 404],
  ['ListThingTypes', 'lists', { query: { maxResults: '1' } }, 200],
  [
    'UpdateThingType',
    'updates',
    { path: { thingTypeName: 'ty-1' }, body: { thingTypeProperties: { thingTypeDescription: 'd' } } },
    200,
  ],
  [
    'CreateThing',
    'registers a thing of a type',
    { path: { thingName: 'typed-1' }, body: { thingTypeName: 'ty-1' } },
    200,
  ],
  ['CreateThing', 'a missing type', { path: { thingName: 'typed-2' }, body: { thingTypeName: 'nope' } }, 404],
  ['ListThings', 'lists by type', { query: { thingTypeName: 'ty-1' } }, 200],
  ['UpdateThing', 'removes its type', { path: { thingName: 'typed-1' }, body: { removeThingType: true } }, 200],
  ['UpdateThing', 'gives it a type', { path: { thingName: 'typed-1' }, body: { thingTypeName: 'ty-1' } }, 200],
  ['DeprecateThingType', 'deprecates', { path: { thingTypeName: 'ty-1' }, body: {} }, 200],
  ['DeprecateThingType', 'a missing type', { path: { thingTypeName: 'nope' }, body: {} }, 404],
  ['UpdateThing', 'a deprecated type', { path: { thingName: 'reg-1' }, body: { thingTypeName: 'ty-1' } }, 400],
  ['DeleteThingType', 'refuses a type deprecated just now', { path: { thingTypeName: 'ty-1' } }, 400],
  ['DeleteThing', 'deletes a thing of a type', { path: { thingName: 'typed-1' } }, 200],
  ['GetIndexingConfiguration', 'the default', {}, 200],
  [
    'UpdateIndexingConfiguration',
    'turns the registry index on',
    { body: { thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } } },
    200,
  ],
  ['GetIndexingConfiguration', 'as updated', {}, 200],
  ['SearchIndex', 'a thing by name', { body: { queryString: 'thingName:reg-1' } }, 200],
  ['SearchIndex', 'a group by its members', { body: { queryString: 'thingGroupNames:gr-root' } }, 200],
  ['SearchIndex', 'a name prefix', { body: { queryString: 'thingName:reg* AND attributes.a:1' } }, 200],
  ['SearchIndex', 'the whole registry', { body: { queryString: 'attributes.a:*', maxResults: 1 } }, 200],
  ['SearchIndex', 'a query that does not parse', { body: { queryString: 'thingName:a AND' } }, 400],
  // Deployed, no broker sees connections: connectivity is never on, and the call says so after reading the configuration.
  ['GetThingConnectivityData', 'connectivity not indexed', { path: { thingName: 'reg-1' } }, 400],
  [
    'CreateDynamicThingGroup',
    'a query',
    { path: { thingGroupName: 'dyn-1' }, body: { queryString: 'attributes.a:1' } },
    200,
  ],
  [
    'UpdateDynamicThingGroup',
    'a new query',
    { path: { thingGroupName: 'dyn-1' }, body: { thingGroupProperties: {}, queryString: 'attributes.a:2' } },
    200,
  ],
  [
    'UpdateIndexingConfiguration',
    'refuses the things index OFF while a dynamic group exists',
    { body: { thingIndexingConfiguration: { thingIndexingMode: 'OFF' } } },
    400,
  ],
  ['DeleteDynamicThingGroup', 'the group', { path: { thingGroupName: 'dyn-1' } }, 200],
  [
    'UpdateIndexingConfiguration',
    'turns the groups index on',
    { body: { thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' } } },
    200,
  ],
  [
    'SearchIndex',
    'a group by name',
    { body: { indexName: 'AWS_ThingGroups', queryString: 'thingGroupName:gr-root' } },
    200,
  ],
  [
    'SearchIndex',
    'the groups',
    { body: { indexName: 'AWS_ThingGroups', queryString: 'thingGroupName:gr*', maxResults: 1 } },
    200,
  ],
];

describe('every function within its grant', () => {
  it.each(STEPS)(
    '%s %s: answers as it should, with no call outside its grant',
    async (functionId, _what, parts, status) => {
      refusals.length = 0;
      const response = await call(functionId, parts);
      expect({ status: response.statusCode, refusals }).toEqual({ status, refusals: [] });
    },
  );

  it('DeleteThingType deletes a type deprecated 5 minutes ago within its grant', async () => {
    seeded.clock.advance(5 * 60_000);
    refusals.length = 0;
    const response = await call('DeleteThingType', { path: { thingTypeName: 'ty-1' } });
    expect({ status: response.statusCode, refusals }).toEqual({ status: 200, refusals: [] });
  });

  it('device reads that meet an expired execution write TIMED_OUT within their grants', async () => {
    await seeded.createJob('g3', ['x1', 'x2', 'x3', 'x4']);
    for (const thingName of ['x1', 'x2', 'x3', 'x4'])
      await seeded.device.startNext({ thingName, stepTimeoutInMinutes: 1 });
    seeded.clock.advance(61_000);
    refusals.length = 0;
    const answers = [
      await call('GetPendingJobExecutions', { path: { thingName: 'x1' } }),
      await call('DescribeJobExecution', { path: { thingName: 'x2', jobId: 'g3' } }),
      await call('ListJobExecutionsForJob', { path: { jobId: 'g3' } }),
      await call('ManagementDescribeJobExecution', { path: { thingName: 'x4', jobId: 'g3' } }),
    ];
    expect({ statuses: answers.map((a) => a.statusCode), refusals }).toEqual({
      statuses: [200, 200, 200, 200],
      refusals: [],
    });
    expect((await seeded.executions.get('x3', 'g3'))?.status).toBe('TIMED_OUT');
  });

  it('the timeout sweeper sweeps within its grant', async () => {
    await seeded.createJob('g4', ['s1']);
    await seeded.device.startNext({ thingName: 's1', stepTimeoutInMinutes: 1 });
    seeded.clock.advance(61_000);
    refusals.length = 0;
    const report = await guardedServices(TIMEOUT_SWEEPER).sweepTimers({ hasTimeLeft: () => true });
    expect({ timedOut: report.timedOut > 0, refusals }).toEqual({ timedOut: true, refusals: [] });
  });

  it('the counts aggregator counts, and completes a job, within its grant', async () => {
    await seeded.createJob('g5', ['c1']);
    const { incarnation } = (await seeded.jobs.getJob('g5'))!;
    const execution = (status: string) =>
      marshall({ pk: 'THING#c1', sk: 'JOB#g5', jobId: 'g5', jobIncarnation: incarnation, thingName: 'c1', status });
    const job = (executionsCreated: boolean) =>
      marshall({ pk: 'JOB#g5', sk: 'JOB', jobId: 'g5', incarnation, executionsCreated });
    await seeded.device.update({
      thingName: 'c1',
      jobId: 'g5',
      status: 'SUCCEEDED',
      includeJobExecutionState: false,
      includeJobDocument: false,
    });
    refusals.length = 0;
    await guardedServices(JOB_COUNTS_AGGREGATOR).aggregateCounts([
      { eventID: 'e1', dynamodb: { NewImage: execution('QUEUED') } },
      { eventID: 'e2', dynamodb: { OldImage: execution('QUEUED'), NewImage: execution('SUCCEEDED') } },
      { eventID: 'e3', dynamodb: { OldImage: job(false), NewImage: job(true) } },
    ]);
    expect(refusals).toEqual([]);
    expect((await seeded.jobs.getJob('g5'))?.status).toBe('COMPLETED');
  });

  it('the counts aggregator aborts a job whose counts meet its criterion, within its grant, handing the cascade to the queue', async () => {
    const abortConfig = {
      criteriaList: [
        { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 1 },
      ],
    };
    await seeded.createJob('g6', ['a1'], { abortConfig });
    const { incarnation } = (await seeded.jobs.getJob('g6'))!;
    const execution = (status: string) =>
      marshall({ pk: 'THING#a1', sk: 'JOB#g6', jobId: 'g6', jobIncarnation: incarnation, thingName: 'a1', status });
    await seeded.device.update({
      thingName: 'a1',
      jobId: 'g6',
      status: 'FAILED',
      includeJobExecutionState: false,
      includeJobDocument: false,
    });
    const aggregator = guardedServices(JOB_COUNTS_AGGREGATOR);
    // Deployed, the cascade is a message to the worker's queue: held here, it runs nowhere under the aggregator's
    // grant.
    aggregator.localWorkQueue!.hold();
    refusals.length = 0;
    await aggregator.aggregateCounts([
      { eventID: 'a1', dynamodb: { NewImage: execution('QUEUED') } },
      { eventID: 'a2', dynamodb: { OldImage: execution('QUEUED'), NewImage: execution('FAILED') } },
    ]);
    expect(refusals).toEqual([]);
    expect(await seeded.jobs.getJob('g6')).toMatchObject({ status: 'CANCELED', reasonCode: 'ABORTED_FAILED' });
  });

  it('the counts aggregator writes a retry of a failure with retries left, within its grant', async () => {
    await seeded.createJob('g7', ['f1'], {
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    });
    const { incarnation } = (await seeded.jobs.getJob('g7'))!;
    await seeded.device.update({
      thingName: 'f1',
      jobId: 'g7',
      status: 'FAILED',
      includeJobExecutionState: false,
      includeJobDocument: false,
    });
    const execution = (status: string) =>
      marshall({
        pk: 'THING#f1',
        sk: 'JOB#g7',
        jobId: 'g7',
        jobIncarnation: incarnation,
        thingName: 'f1',
        status,
        executionNumber: 1,
        versionNumber: 1,
        queuedAt: 1,
        lastUpdatedAt: 1,
        retryLimits: { FAILED: 1 },
        retryAttempt: 0,
      });
    refusals.length = 0;
    await guardedServices(JOB_COUNTS_AGGREGATOR).aggregateCounts([
      { eventID: 'f1', dynamodb: { OldImage: execution('QUEUED'), NewImage: execution('FAILED') } },
    ]);
    expect(refusals).toEqual([]);
    expect(await seeded.executions.get('f1', 'g7')).toMatchObject({
      status: 'QUEUED',
      executionNumber: 2,
      retryAttempt: 1,
    });
  });

  it('the job worker fans out over a group, cancels, deletes, and resumes stalled work, within its grant', async () => {
    const { groups, registry } = seeded.services;
    await groups.createThingGroup({ thingGroupName: 'w-fleet', attributes: {} });
    for (const thingName of ['w1', 'w2']) {
      await registry.createThing({ thingName, attributes: {} });
      await groups.addThingToThingGroup({ thingGroupName: 'w-fleet', thingName });
    }
    // Jobs whose work was handed to the queue before any of it ran: their records, no executions.
    const queued = (jobId: string) => {
      const job = newJob(
        parseCreateJob({
          path: { jobId },
          query: {},
          body: { targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'w-fleet')], document: document(jobId) },
        }),
        DEFAULT_ARN_CONTEXT,
        `inc-${jobId}`,
        seeded.clock(),
      );
      return seeded.stores.jobs.createJob(
        job,
        newJobWork(job, fanOutSources([{ targetArn: job.targets[0]!, groupName: 'w-fleet', below: [] }]), true),
      );
    };
    await queued('w-job');
    await queued('w-stalled');
    const worker = guardedServices(JOB_WORKER);
    refusals.length = 0;
    expect(await worker.jobWork.run('w-job')).toBe('done');
    expect((await seeded.executions.get('w2', 'w-job'))?.status).toBe('QUEUED');
    expect(await worker.jobWork.resumeStalled()).toContain('w-stalled');
    await worker.localWorkQueue!.idle();
    expect((await seeded.executions.get('w1', 'w-stalled'))?.status).toBe('QUEUED');
    await seeded.jobs.cancelJob('w-job', { force: false, serial: 's1', now: seeded.clock(), by: { kind: 'operator' } });
    expect(await worker.jobWork.run('w-job')).toBe('done');
    expect((await seeded.executions.get('w1', 'w-job'))?.status).toBe('CANCELED');
    await seeded.jobs.startJobDeletion('w-job', { force: false, serial: 's2', now: seeded.clock() });
    expect(await worker.jobWork.run('w-job')).toBe('done');
    expect(await seeded.jobs.getJob('w-job')).toBeUndefined();
    expect(refusals).toEqual([]);
  });

  it("the membership reactor gives a joiner its continuous job and removes a leaver's, within its grant", async () => {
    const { groups, registry } = seeded.services;
    await groups.createThingGroup({ thingGroupName: 'm-fleet', attributes: {} });
    await groups.createThingGroup({ thingGroupName: 'm-cell', parentGroupName: 'm-fleet', attributes: {} });
    for (const thingName of ['m1', 'm2']) await registry.createThing({ thingName, attributes: {} });
    await groups.addThingToThingGroup({ thingGroupName: 'm-cell', thingName: 'm1' });
    await seeded.management.createJob(
      parseCreateJob({
        path: { jobId: 'm-job' },
        query: {},
        body: {
          targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'm-fleet')],
          targetSelection: 'CONTINUOUS',
          document: document('m-job'),
        },
      }),
    );
    await seeded.workDone();
    await groups.addThingToThingGroup({ thingGroupName: 'm-cell', thingName: 'm2' });
    await groups.removeThingFromThingGroup({ thingGroupName: 'm-cell', thingName: 'm1' });
    const membership = (thingName: string) =>
      marshall({
        pk: `THING#${thingName}`,
        sk: 'TREE#m-fleet',
        thingName,
        thingGroupName: 'm-cell',
        groupPath: ['m-fleet', 'm-cell'],
      });
    refusals.length = 0;
    const reactions = await guardedServices(MEMBERSHIP_REACTOR).reactToMemberships([
      { eventID: 'j1', dynamodb: { NewImage: membership('m2') } },
      { eventID: 'l1', dynamodb: { OldImage: membership('m1') } },
    ]);
    expect({ reactions: reactions.map((r) => `${r.thingName} ${r.action} ${r.applied}`).sort(), refusals }).toEqual({
      reactions: ['m1 remove true', 'm2 create true'],
      refusals: [],
    });
    expect((await seeded.executions.get('m2', 'm-job'))?.status).toBe('QUEUED');
    expect((await seeded.executions.get('m1', 'm-job'))?.status).toBe('REMOVED');
  });

  it("the membership reactor builds a dynamic group and follows a thing's change, within its grant", async () => {
    const { dynamicGroups, registry } = seeded.services;
    await registry.createThing({ thingName: 'd1', attributes: { dyn: 'yes' } });
    await dynamicGroups.createDynamicThingGroup({
      thingGroupName: 'dyn-2',
      queryString: 'attributes.dyn:yes',
      attributes: {},
    });
    const thing = (version: number, dyn: string) =>
      marshall({ pk: 'THING#d2', sk: 'THING', thingName: 'd2', thingId: 'id-d2', attributes: { dyn }, version });
    await registry.createThing({ thingName: 'd2', attributes: { dyn: 'yes' } });
    refusals.length = 0;
    await guardedServices(MEMBERSHIP_REACTOR).reactToMemberships([
      {
        eventID: 'b1',
        dynamodb: {
          NewImage: marshall({
            pk: 'GROUP#dyn-2',
            sk: 'GROUP',
            thingGroupName: 'dyn-2',
            dynamic: { status: 'BUILDING' },
          }),
        },
      },
      { eventID: 'u1', dynamodb: { OldImage: thing(1, 'no'), NewImage: thing(1, 'yes') } },
    ]);
    const members = await seeded.services.groups.listThingsInThingGroup({
      thingGroupName: 'dyn-2',
      maxResults: 10,
      recursive: false,
    });
    expect({ members: members.things, refusals }).toEqual({ members: ['d1', 'd2'], refusals: [] });
  });

  it('AssociateTargetsWithJob and the job worker queue a REMOVED execution again, within their grants', async () => {
    const { groups, registry } = seeded.services;
    const groupArn = (name: string) => thingGroupArn(DEFAULT_ARN_CONTEXT, name);
    for (const thingGroupName of ['a-first', 'a-second', 'a-third'])
      await groups.createThingGroup({ thingGroupName, attributes: {} });
    for (const [thingName, other] of [
      ['a1', 'a-second'],
      ['a2', 'a-third'],
    ] as const) {
      await registry.createThing({ thingName, attributes: {} });
      for (const thingGroupName of ['a-first', other]) await groups.addThingToThingGroup({ thingGroupName, thingName });
    }
    await seeded.management.createJob(
      parseCreateJob({
        path: { jobId: 'a-job' },
        query: {},
        body: { targets: [groupArn('a-first')], targetSelection: 'CONTINUOUS', document: document('a-job') },
      }),
    );
    await seeded.workDone();
    const job = (await seeded.jobs.getJob('a-job'))!;
    // Both leave the job's group while QUEUED (what the membership reactor does with it).
    for (const thingName of ['a1', 'a2']) {
      await groups.removeThingFromThingGroup({ thingGroupName: 'a-first', thingName });
      await seeded.stores.continuousJobs.removeQueued(job, thingName, seeded.clock());
    }
    refusals.length = 0;
    // The request requeues a1 itself; a2's group is left to the worker.
    const answer = await call('AssociateTargetsWithJob', {
      path: { jobId: 'a-job' },
      body: { targets: [groupArn('a-second')] },
    });
    expect(answer.statusCode).toBe(200);
    const widened = (await seeded.jobs.getJob('a-job'))!;
    await seeded.jobs.associateTargets(widened, {
      targets: [groupArn('a-third')],
      groupNames: ['a-third'],
      sources: [{ kind: 'group', targetArn: groupArn('a-third'), groupName: 'a-third' }],
      now: seeded.clock(),
    });
    expect(await guardedServices(JOB_WORKER).jobWork.run('a-job')).toBe('done');
    const state = async (thingName: string) => {
      const execution = await seeded.executions.get(thingName, 'a-job');
      return `${execution?.status} #${execution?.executionNumber}`;
    };
    expect({ a1: await state('a1'), a2: await state('a2'), refusals }).toEqual({
      a1: 'QUEUED #2',
      a2: 'QUEUED #2',
      refusals: [],
    });
  });

  it('has a step for every route', () => {
    expect([...new Set(STEPS.map(([functionId]) => functionId))].sort()).toEqual(ROUTES.map(functionIdOf).sort());
  });

  it('grants only indexes the table has', () => {
    const names = [
      JOBS_TABLE.pendingIndex,
      JOBS_TABLE.deadlineIndex,
      JOBS_TABLE.jobExecutionsIndex,
      JOBS_TABLE.jobListIndex,
      JOBS_TABLE.registryIndex,
    ].map((index) => index.name as string);
    for (const grant of [...ROUTES, TIMEOUT_SWEEPER]) if (grant.queryIndex) expect(names).toContain(grant.queryIndex);
    for (const index of JOB_WORKER.queryIndexes) expect(names).toContain(index);
  });
});
