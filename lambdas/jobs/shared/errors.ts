/** What an error may carry besides its message: the error that caused it (logged, never sent to the caller). */
export interface ServiceErrorOptions {
  cause?: unknown;
}

/**
 * Errors named and coded exactly as AWS IoT names them, so the official SDKs
 * deserialize them into their own exception classes.
 */
export abstract class ServiceError extends Error {
  abstract readonly statusCode: number;
  /** Extra members serialized next to `message` in the error body. */
  readonly extraBody: Record<string, unknown> = {};

  constructor(message: string, options: ServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export class InvalidRequestException extends ServiceError {
  readonly statusCode = 400;
}

/** A caller acting on a thing that is not its own (AWS's name for an authorization refusal). */
export class AccessDeniedException extends ServiceError {
  readonly statusCode = 403;
}

export class ResourceNotFoundException extends ServiceError {
  readonly statusCode = 404;
}

export class ResourceAlreadyExistsException extends ServiceError {
  readonly statusCode = 409;
  constructor(message: string, resourceId: string, resourceArn?: string, options?: ServiceErrorOptions) {
    super(message, options);
    Object.assign(this.extraBody, { resourceId, ...(resourceArn ? { resourceArn } : {}) });
  }
}

/** Carries the execution's current state so a device can resync without another call. */
export class InvalidStateTransitionException extends ServiceError {
  readonly statusCode = 409;
  constructor(message: string, executionState?: unknown, options?: ServiceErrorOptions) {
    super(message, options);
    if (executionState !== undefined) this.extraBody.executionState = executionState;
  }
}

export class VersionConflictException extends ServiceError {
  readonly statusCode = 409;
}

export class TerminalStateException extends ServiceError {
  readonly statusCode = 410;
}

export class ThrottlingException extends ServiceError {
  readonly statusCode = 429;
}

export class ServiceUnavailableException extends ServiceError {
  readonly statusCode = 503;
}

/** The only 500: its message is fixed so no internals ever leave the service. */
export class InternalFailureException extends ServiceError {
  readonly statusCode = 500;
  constructor(options?: ServiceErrorOptions) {
    super('An internal error occurred. Retry the request; if it persists, report the request ID.', options);
  }
}
