import { InvalidRequestException } from '../../jobs/shared/errors';

/**
 * Field validators. Each names the field and the rule it broke, so a device
 * author can fix the request from the message alone.
 */

const invalid = (field: string, rule: string): InvalidRequestException =>
  new InvalidRequestException(`${field}: ${rule}`);

const NO_CONTROL_CHARS = /^[^\p{C}]+$/u;

export interface StringRule {
  min: number;
  max: number;
  pattern?: RegExp;
  patternText?: string;
}

export function requireString(field: string, value: unknown, rule: StringRule): string {
  if (value === undefined || value === null) throw invalid(field, 'is required');
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  // Lengths count code points, as AWS's model constraints do.
  const length = [...value].length;
  if (length < rule.min || length > rule.max) {
    throw invalid(
      field,
      rule.min === rule.max ? `must be ${rule.min} characters` : `must be ${rule.min}-${rule.max} characters long`,
    );
  }
  if (rule.pattern && !rule.pattern.test(value))
    throw invalid(field, `must match ${rule.patternText ?? rule.pattern.source}`);
  return value;
}

export function optionalString(field: string, value: unknown, rule: StringRule): string | undefined {
  return value === undefined || value === null ? undefined : requireString(field, value, rule);
}

export const THING_NAME_RULE: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9:_-]+$/,
  patternText: '[a-zA-Z0-9:_-]+',
};
export const JOB_ID_RULE: StringRule = { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '[a-zA-Z0-9_-]+' };
export const DETAILS_KEY_RULE: StringRule = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9:_-]+$/,
  patternText: '[a-zA-Z0-9:_-]+',
};
export const DETAILS_VALUE_RULE: StringRule = {
  min: 1,
  max: 1024,
  pattern: NO_CONTROL_CHARS,
  patternText: 'no control characters',
};
export const FREE_TEXT_PATTERN = NO_CONTROL_CHARS;

/**
 * A jobs request's clientToken (the MQTT requests carry one; the HTTP operations have none in botocore): the only
 * clientToken of botocore's iot-jobs-data model, StartCommandExecution's ClientRequestTokenV2, is 1-64 printable
 * ASCII characters, no space.
 */
export const CLIENT_TOKEN_RULE: StringRule = {
  min: 1,
  max: 64,
  pattern: /^[\x21-\x7E]+$/,
  patternText: '[\\x21-\\x7E]+ (printable ASCII, no spaces)',
};

export const validateThingName = (value: unknown): string => requireString('thingName', value, THING_NAME_RULE);
export const validateJobId = (value: unknown): string => requireString('jobId', value, JOB_ID_RULE);
/** Checked, not kept: the transport that carries one echoes it in the answer. */
export const checkClientToken = (value: unknown): void => void optionalString('clientToken', value, CLIENT_TOKEN_RULE);

export const MAX_STATUS_DETAILS = 10;

export function optionalStatusDetails(field: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object of string values');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_STATUS_DETAILS) throw invalid(field, `must have at most ${MAX_STATUS_DETAILS} entries`);
  const details: Record<string, string> = {};
  for (const [key, entry] of entries) {
    requireString(`${field} key "${key.slice(0, 140)}"`, key, DETAILS_KEY_RULE);
    // The one key a JavaScript object cannot hold as data: assigning it would silently drop the entry.
    if (key === '__proto__') throw invalid(`${field} key "__proto__"`, 'is reserved; use another key');
    details[key] = requireString(`${field}.${key}`, entry, DETAILS_VALUE_RULE);
  }
  return details;
}

/** A member or query parameter sent at all: an optional member sent as null is absent, as restJson1 clients mean it. */
const isGiven = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Members (or query parameters) for features this service does not have:
 * refused by name, never ignored, since ignoring them would change what the
 * request means. `given` says when one counts as sent.
 */
export function refuseUnsupported(
  source: Readonly<Record<string, unknown>>,
  names: readonly string[],
  why = 'is not supported by this service',
  given: (value: unknown) => boolean = isGiven,
): void {
  for (const name of names) {
    if (given(source[name])) throw invalid(name, why);
  }
}

export interface IntegerRule {
  min: number;
  max: number;
  /** Values outside [min, max] that are still allowed (e.g. -1 to clear a timer). */
  also?: readonly number[];
}

export function optionalInteger(field: string, value: unknown, rule: IntegerRule): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(field, 'must be an integer');
  if (rule.also?.includes(value)) return value;
  if (value < rule.min || value > rule.max) {
    const extra = rule.also?.length ? ` or ${rule.also.join(', ')}` : '';
    throw invalid(field, `must be between ${rule.min} and ${rule.max}${extra}`);
  }
  return value;
}

export interface NumberRule {
  min: number;
  max: number;
  /** Digits after the decimal point AWS keeps (10.99 with 2; 10.999 is refused). */
  decimals: number;
}

/** A JSON number (a double in AWS's model) within [min, max], with at most `decimals` digits after the point. */
export function optionalNumber(field: string, value: unknown, rule: NumberRule): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number');
  if (value < rule.min || value > rule.max) throw invalid(field, `must be between ${rule.min} and ${rule.max}`);
  const scaled = value * 10 ** rule.decimals;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6)
    throw invalid(
      field,
      `must have at most ${rule.decimals} digit${rule.decimals === 1 ? '' : 's'} after the decimal point`,
    );
  return value;
}

export function requireInteger(field: string, value: unknown, rule: IntegerRule): number {
  const given = optionalInteger(field, value, rule);
  if (given === undefined) throw invalid(field, 'is required');
  return given;
}

export function requireNumber(field: string, value: unknown, rule: NumberRule): number {
  const given = optionalNumber(field, value, rule);
  if (given === undefined) throw invalid(field, 'is required');
  return given;
}

export function optionalBoolean(field: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

/** Query-string values arrive as text; these read them with the same rules as JSON members. */
export function queryBoolean(field: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(field, 'must be true or false');
}

export function queryInteger(field: string, value: string | undefined, rule: IntegerRule): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,16}$/.test(value)) throw invalid(field, 'must be an integer');
  return optionalInteger(field, Number(value), rule);
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (value === undefined || value === null) throw invalid(field, 'is required');
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(field, 'must be a JSON object');
  return value as Record<string, unknown>;
}

export function optionalObject(field: string, value: unknown): Record<string, unknown> | undefined {
  return value === undefined || value === null ? undefined : requireObject(field, value);
}

/** Versions and execution numbers are positive longs in AWS's model. */
export const VERSION_RULE: IntegerRule = { min: 0, max: Number.MAX_SAFE_INTEGER };
