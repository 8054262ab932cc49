import { EXECUTION_STATUSES } from '../../jobs/execution/execution';
import type { ListCountsHistoryInput } from '../../jobs/history/counts-history';
import type { ListHistoryInput } from '../../jobs/history/history';
import type * as inputs from '../../jobs/management/inputs';
import { JOB_STATUSES, TARGET_SELECTIONS } from '../../jobs/management/job';
import type { RequestOrigin } from '../../jobs/shared/actor';
import type { PageQuery } from '../../jobs/shared/ports';
import type { RawRequest } from '../http/raw-request';
import {
  FREE_TEXT_PATTERN,
  type IntegerRule,
  optionalInteger,
  optionalStatusDetails,
  optionalString,
  queryBoolean,
  queryInteger,
  refuseUnsupported,
  requireObject,
  requireOneOf,
  requireString,
  THING_NAME_RULE,
  VERSION_RULE,
  validateJobId,
  validateThingName,
} from './validation';

/** Request parsers of the management API (iot), one per operation, with botocore's constraints. */

const MAX_RESULTS_RULE: IntegerRule = { min: 1, max: 250 };
export const DEFAULT_MAX_RESULTS = 100;
const EXECUTION_NUMBER_RULE: IntegerRule = { min: 1, max: Number.MAX_SAFE_INTEGER };
const REASON_CODE = {
  min: 1,
  max: 128,
  pattern: /^[\p{Lu}\p{Nd}_]+$/u,
  patternText: 'upper-case letters, digits and _',
};
const COMMENT = { min: 1, max: 2028, pattern: FREE_TEXT_PATTERN, patternText: 'no control characters' };
/** An opaque token we issued: base64url text of bounded size. */
export const NEXT_TOKEN = {
  min: 1,
  max: 4096,
  pattern: /^[A-Za-z0-9_-]+$/,
  patternText: 'a nextToken from a previous answer',
};

export function pageRequest(raw: RawRequest): PageQuery {
  const nextToken = optionalString('nextToken', raw.query.nextToken, NEXT_TOKEN);
  return {
    maxResults: queryInteger('maxResults', raw.query.maxResults, MAX_RESULTS_RULE) ?? DEFAULT_MAX_RESULTS,
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

/**
 * Filters for features this service does not have (namespaces, filtering jobs by group): refused, since ignoring them
 * would widen the answer.
 */
const refuseFilters = (raw: RawRequest, ...names: string[]) => refuseUnsupported(raw.query, names);

function queryEnum<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  return value === undefined ? undefined : requireOneOf(field, value, allowed);
}

/** DescribeJob and GetJobDocument (beforeSubstitution is accepted and means nothing: there are no templates). */
export function parseJobIdRequest(raw: RawRequest): inputs.JobIdInput {
  queryBoolean('beforeSubstitution', raw.query.beforeSubstitution);
  return { jobId: validateJobId(raw.path.jobId) };
}

export function parseListJobs(raw: RawRequest): inputs.ListJobsInput {
  // A group's ID would be looked up in the registry index, which ListJobs may not read: filter by thingGroupName.
  refuseFilters(raw, 'thingGroupId', 'namespaceId');
  const status = queryEnum('status', raw.query.status, JOB_STATUSES);
  const targetSelection = queryEnum('targetSelection', raw.query.targetSelection, TARGET_SELECTIONS);
  const thingGroupName =
    raw.query.thingGroupName === undefined
      ? undefined
      : requireString('thingGroupName', raw.query.thingGroupName, THING_NAME_RULE);
  return {
    ...pageRequest(raw),
    ...(status ? { status } : {}),
    ...(targetSelection ? { targetSelection } : {}),
    ...(thingGroupName !== undefined ? { thingGroupName } : {}),
  };
}

export function parseCancelJob(raw: RawRequest): inputs.CancelJobInput {
  const jobId = validateJobId(raw.path.jobId);
  const body = requireObject('request body', raw.body ?? {});
  const reasonCode = optionalString('reasonCode', body.reasonCode, REASON_CODE);
  const comment = optionalString('comment', body.comment, COMMENT);
  return {
    jobId,
    force: queryBoolean('force', raw.query.force) ?? false,
    ...(reasonCode !== undefined ? { reasonCode } : {}),
    ...(comment !== undefined ? { comment } : {}),
    origin: originOf(raw),
  };
}

export function parseDeleteJob(raw: RawRequest): inputs.DeleteJobInput {
  refuseFilters(raw, 'namespaceId');
  return { jobId: validateJobId(raw.path.jobId), force: queryBoolean('force', raw.query.force) ?? false };
}

export function parseListExecutionsForJob(raw: RawRequest): inputs.ListExecutionsForJobInput {
  const status = queryEnum('status', raw.query.status, EXECUTION_STATUSES);
  return { jobId: validateJobId(raw.path.jobId), ...pageRequest(raw), ...(status ? { status } : {}) };
}

export function parseListExecutionsForThing(raw: RawRequest): inputs.ListExecutionsForThingInput {
  refuseFilters(raw, 'namespaceId');
  const status = queryEnum('status', raw.query.status, EXECUTION_STATUSES);
  const jobId = raw.query.jobId === undefined ? undefined : validateJobId(raw.query.jobId);
  return {
    thingName: validateThingName(raw.path.thingName),
    ...pageRequest(raw),
    ...(status ? { status } : {}),
    ...(jobId !== undefined ? { jobId } : {}),
  };
}

export function parseManagementDescribeExecution(raw: RawRequest): inputs.ExecutionKeyInput {
  const executionNumber = queryInteger('executionNumber', raw.query.executionNumber, EXECUTION_NUMBER_RULE);
  return {
    thingName: validateThingName(raw.path.thingName),
    jobId: validateJobId(raw.path.jobId),
    ...(executionNumber !== undefined ? { executionNumber } : {}),
  };
}

export function parseCancelExecution(raw: RawRequest): inputs.CancelExecutionInput {
  const body = requireObject('request body', raw.body ?? {});
  const expectedVersion = optionalInteger('expectedVersion', body.expectedVersion, VERSION_RULE);
  const statusDetails = optionalStatusDetails('statusDetails', body.statusDetails);
  return {
    thingName: validateThingName(raw.path.thingName),
    jobId: validateJobId(raw.path.jobId),
    force: queryBoolean('force', raw.query.force) ?? false,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    ...(statusDetails ? { statusDetails } : {}),
    origin: originOf(raw),
  };
}

export function parseListHistory(raw: RawRequest): ListHistoryInput {
  const jobId = raw.query.jobId === undefined ? undefined : validateJobId(raw.query.jobId);
  return { thingName: validateThingName(raw.path.thingName), ...(jobId ? { jobId } : {}), ...pageRequest(raw) };
}

export function parseListCountsHistory(raw: RawRequest): ListCountsHistoryInput {
  return { jobId: validateJobId(raw.path.jobId), ...pageRequest(raw) };
}

/** The request's ID and signer, as the history names an operator. */
export const originOf = (raw: RawRequest): RequestOrigin => ({
  ...(raw.requestId ? { requestId: raw.requestId } : {}),
  ...(raw.callerIdentity ? { callerIdentity: raw.callerIdentity } : {}),
});

export function parseDeleteExecution(raw: RawRequest): inputs.DeleteExecutionInput {
  refuseFilters(raw, 'namespaceId');
  const executionNumber = queryInteger(
    'executionNumber',
    requireString('executionNumber', raw.path.executionNumber, { min: 1, max: 20 }),
    EXECUTION_NUMBER_RULE,
  )!;
  return {
    thingName: validateThingName(raw.path.thingName),
    jobId: validateJobId(raw.path.jobId),
    executionNumber,
    force: queryBoolean('force', raw.query.force) ?? false,
  };
}

/** DescribeEndpoint: botocore allows up to 128 characters of any kind; which types mean something is the rule's call. */
export function parseDescribeEndpoint(raw: RawRequest): { endpointType?: string } {
  const endpointType = optionalString('endpointType', raw.query.endpointType, { min: 0, max: 128 });
  return endpointType === undefined ? {} : { endpointType };
}
