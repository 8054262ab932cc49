/** What an error may carry besides its message: the error that caused it (logged, never sent to the caller). */
export interface ServiceErrorOptions {
  cause?: unknown;
}

/**
 * The errors of AWS IoT's APIs that this service answers with, by the name
 * AWS gives each (so the official SDKs deserialize them into their own
 * exception classes), and each one's HTTP status.
 */
export const SERVICE_ERRORS = {
  InvalidRequestException: 400,
  /** A caller acting on a thing that is not its own (AWS's name for an authorization refusal). */
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ResourceAlreadyExistsException: 409,
  InvalidStateTransitionException: 409,
  VersionConflictException: 409,
  /** A resource of that name exists already (AWS's name for it in the job template operations). */
  ConflictException: 409,
  TerminalStateException: 410,
  /** A certificate operation its status does not allow (an ACTIVE certificate deleted, a REVOKED one activated). */
  CertificateStateException: 406,
  /** A certificate that is not one (PEM, X.509), or not signed by the CA it names. */
  CertificateValidationException: 400,
  /** A certificate signed by none of the registered CAs, or by a CA that cannot be told apart. */
  CertificateConflictException: 409,
  /** A resource still attached to another (a certificate to a thing). */
  DeleteConflictException: 409,
  /** A limit of the service would be passed (AWS IoT's status for it, 410). */
  LimitExceededException: 410,
  ThrottlingException: 429,
  /** A fleet index query that does not parse, or asks for what the index does not hold. */
  InvalidQueryException: 400,
  /** A search of an index that is not (yet) built: AWS's answer while an index builds. */
  IndexNotReadyException: 400,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
} as const;

export type ServiceErrorName = keyof typeof SERVICE_ERRORS;

export abstract class ServiceError extends Error {
  override readonly name: ServiceErrorName;
  readonly statusCode: number;
  /** Extra members serialized next to `message` in the error body. */
  readonly extraBody: Record<string, unknown> = {};

  constructor(name: ServiceErrorName, message: string, options: ServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Spelled out, not taken from the class: a minified Lambda bundle renames classes.
    this.name = name;
    this.statusCode = SERVICE_ERRORS[name];
  }
}

/** The error class of one name in SERVICE_ERRORS. */
function serviceError(name: ServiceErrorName) {
  return class extends ServiceError {
    constructor(message: string, options?: ServiceErrorOptions) {
      super(name, message, options);
    }
  };
}

export class InvalidRequestException extends serviceError('InvalidRequestException') {}
export class AccessDeniedException extends serviceError('AccessDeniedException') {}
export class ResourceNotFoundException extends serviceError('ResourceNotFoundException') {}
export class VersionConflictException extends serviceError('VersionConflictException') {}
export class ConflictException extends serviceError('ConflictException') {}
export class TerminalStateException extends serviceError('TerminalStateException') {}
export class LimitExceededException extends serviceError('LimitExceededException') {}
export class ThrottlingException extends serviceError('ThrottlingException') {}
export class CertificateStateException extends serviceError('CertificateStateException') {}
export class CertificateValidationException extends serviceError('CertificateValidationException') {}
export class CertificateConflictException extends serviceError('CertificateConflictException') {}
export class DeleteConflictException extends serviceError('DeleteConflictException') {}
export class ServiceUnavailableException extends serviceError('ServiceUnavailableException') {}
export class InvalidQueryException extends serviceError('InvalidQueryException') {}
export class IndexNotReadyException extends serviceError('IndexNotReadyException') {}

export class ResourceAlreadyExistsException extends ServiceError {
  constructor(message: string, resourceId: string, resourceArn?: string, options?: ServiceErrorOptions) {
    super('ResourceAlreadyExistsException', message, options);
    Object.assign(this.extraBody, { resourceId, ...(resourceArn ? { resourceArn } : {}) });
  }
}

/** Carries the execution's current state so a device can resync without another call. */
export class InvalidStateTransitionException extends ServiceError {
  constructor(message: string, executionState?: unknown, options?: ServiceErrorOptions) {
    super('InvalidStateTransitionException', message, options);
    if (executionState !== undefined) this.extraBody.executionState = executionState;
  }
}

/** The only 500: its message is fixed so no internals ever leave the service. */
export class InternalFailureException extends ServiceError {
  constructor(options?: ServiceErrorOptions) {
    super(
      'InternalFailureException',
      'An internal error occurred. Retry the request; if it persists, report the request ID.',
      options,
    );
  }
}
