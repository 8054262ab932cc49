import { InvalidRequestException } from '../shared/errors';

/** A thing in the registry: what DescribeThing shows. */
export interface ThingRecord {
  thingName: string;
  /** Made at creation: a thing deleted and created again under its name is another thing. */
  thingId: string;
  thingArn: string;
  attributes: Record<string, string>;
  /** 1 at creation, one more with every update; UpdateThing and DeleteThing may expect it. */
  version: number;
  createdAt: number;
}

/** AWS's limit for a thing without a thing type (there are none here). */
export const MAX_THING_ATTRIBUTES = 3;

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
  if (Object.keys(next).length > MAX_THING_ATTRIBUTES) {
    throw new InvalidRequestException(
      `attributePayload.attributes: a thing without a thing type has at most ${MAX_THING_ATTRIBUTES} attributes`,
    );
  }
  return next;
}

/** Same name, same attributes: a CreateThing sent again is answered as the first, anything else exists already. */
export const sameThing = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([name, value]) => b[name] === value);

/** ListThings' attribute filter: the value itself, or with usePrefix any value starting with it. */
export interface AttributeFilter {
  name: string;
  value: string;
  usePrefix: boolean;
}
