import type { DeviceCaller } from '../../jobs/device/device-authorization';
import {
  type DescribeInput,
  type GetPendingInput,
  NEXT_JOB_ID,
  type StartNextInput,
  type UpdateInput,
} from '../../jobs/device/inputs';
import {
  DEVICE_REPORTABLE_STATUSES,
  type DeviceReportableStatus,
  EXECUTION_STATUSES,
} from '../../jobs/execution/execution';
import type { RequestOrigin } from '../../jobs/shared/actor';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import {
  checkClientToken,
  type IntegerRule,
  optionalBoolean,
  optionalInteger,
  optionalStatusDetails,
  queryBoolean,
  queryInteger,
  requireObject,
  requireOneOf,
  VERSION_RULE,
  validateJobId,
  validateThingName,
} from './validation';

/** Request parsers of the device API (iot-jobs-data), one per operation, with botocore's constraints. */

/** 1 minute to 7 days (AWS). */
const STEP_TIMEOUT_RULE: IntegerRule = { min: 1, max: 10080 };
/** On Update, -1 removes the step timer (AWS). */
const UPDATE_STEP_TIMEOUT_RULE: IntegerRule = { ...STEP_TIMEOUT_RULE, also: [-1] };

/**
 * What every device request carries besides its own members: who the transport says is calling, and the request's ID.
 */
const callerOf = (raw: RawRequest): DeviceCaller & RequestOrigin => ({
  ...(raw.clientCertificateSubject ? { clientCertificateSubject: raw.clientCertificateSubject } : {}),
  ...(raw.clientCertificateFingerprint ? { clientCertificateFingerprint: raw.clientCertificateFingerprint } : {}),
  ...(raw.requestId ? { requestId: raw.requestId } : {}),
});

/**
 * Each operation's clientToken, wherever a transport puts it (MQTT: the payload, which is the body of a start-next or
 * an update, and the query of a get or describe), is checked before the transport echoes it.
 */
export function parseGetPending(raw: RawRequest): GetPendingInput {
  const thingName = validateThingName(raw.path.thingName);
  checkClientToken(raw.query.clientToken);
  return { thingName, ...callerOf(raw) };
}

export function parseStartNext(raw: RawRequest): StartNextInput {
  const thingName = validateThingName(raw.path.thingName);
  const body = requireObject('request body', raw.body ?? {});
  checkClientToken(body.clientToken);
  return {
    thingName,
    statusDetails: optionalStatusDetails('statusDetails', body.statusDetails),
    stepTimeoutInMinutes: optionalInteger('stepTimeoutInMinutes', body.stepTimeoutInMinutes, STEP_TIMEOUT_RULE),
    ...callerOf(raw),
  };
}

export function parseDescribe(raw: RawRequest): DescribeInput {
  const thingName = validateThingName(raw.path.thingName);
  const jobId = raw.path.jobId === NEXT_JOB_ID ? NEXT_JOB_ID : validateJobId(raw.path.jobId);
  checkClientToken(raw.query.clientToken);
  return {
    thingName,
    jobId,
    // AWS: the document is included unless the caller opts out.
    includeJobDocument: queryBoolean('includeJobDocument', raw.query.includeJobDocument) ?? true,
    executionNumber: queryInteger('executionNumber', raw.query.executionNumber, VERSION_RULE),
    ...callerOf(raw),
  };
}

export function parseUpdate(raw: RawRequest): UpdateInput {
  const thingName = validateThingName(raw.path.thingName);
  const jobId = validateJobId(raw.path.jobId);
  const body = requireObject('request body', raw.body ?? {});
  checkClientToken(body.clientToken);
  const status = requireOneOf('status', body.status, EXECUTION_STATUSES);
  if (!(DEVICE_REPORTABLE_STATUSES as readonly string[]).includes(status)) {
    throw new InvalidRequestException(
      `status: a device may only report ${DEVICE_REPORTABLE_STATUSES.join(', ')}; ${status} is set by the service`,
    );
  }
  const stepTimeoutInMinutes = optionalInteger(
    'stepTimeoutInMinutes',
    body.stepTimeoutInMinutes,
    UPDATE_STEP_TIMEOUT_RULE,
  );
  return {
    thingName,
    jobId,
    status: status as DeviceReportableStatus,
    statusDetails: optionalStatusDetails('statusDetails', body.statusDetails),
    // A step timer only means something while the device keeps working (our choice: ignored, not rejected, on a final
    // status).
    stepTimeoutInMinutes: status === 'IN_PROGRESS' ? stepTimeoutInMinutes : undefined,
    expectedVersion: optionalInteger('expectedVersion', body.expectedVersion, VERSION_RULE),
    executionNumber: optionalInteger('executionNumber', body.executionNumber, VERSION_RULE),
    includeJobExecutionState: optionalBoolean('includeJobExecutionState', body.includeJobExecutionState) ?? false,
    includeJobDocument: optionalBoolean('includeJobDocument', body.includeJobDocument) ?? false,
    ...callerOf(raw),
  };
}
