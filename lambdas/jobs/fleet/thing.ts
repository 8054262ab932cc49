import { InvalidRequestException } from '../shared/errors';
import { maxAttributesOf } from './types/thing-type';

/** A thing in the registry: what DescribeThing shows. */
export interface ThingRecord {
  thingName: string;
  /** Made at creation: a thing deleted and created again under its name is another thing. */
  thingId: string;
  thingArn: string;
  attributes: Record<string, string>;
  /** Its thing type, if it has one. */
  thingTypeName?: string;
  /** 1 at creation, one more with every update; UpdateThing and DeleteThing may expect it. */
  version: number;
  createdAt: number;
}

/** Refused: more attributes than a thing of that type (or of none) may have. */
export function checkAttributeCount(attributes: Record<string, string>, thingTypeName: string | undefined): void {
  const max = maxAttributesOf(thingTypeName);
  if (Object.keys(attributes).length > max) {
    throw new InvalidRequestException(
      `attributePayload.attributes: a thing ${thingTypeName === undefined ? 'without a' : 'with a'} thing type ` +
        `has at most ${max} attributes`,
    );
  }
}

/**
 * The attributes an UpdateThing leaves: its payload replaces them, or with merge is laid over them, an empty value
 * removing that one.
 */
export function updatedAttributes(
  current: Record<string, string>,
  payload: Record<string, string>,
  merge: boolean,
): Record<string, string> {
  const next = merge ? { ...current, ...payload } : { ...payload };
  for (const [name, value] of Object.entries(next)) if (value === '') delete next[name];
  return next;
}

/**
 * Same name, same attributes, same type: a CreateThing sent again is answered as the first, anything else exists
 * already.
 */
export const sameThing = (
  a: Record<string, string>,
  b: Record<string, string>,
  typeA?: string,
  typeB?: string,
): boolean =>
  typeA === typeB &&
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([name, value]) => b[name] === value);

/** ListThings' attribute filter: the value itself, or with usePrefix any value starting with it. */
export interface AttributeFilter {
  name: string;
  value: string;
  usePrefix: boolean;
}
