/** One of a thing type's MQTT 5 propagating attributes: kept and answered as given. */
export interface PropagatingAttribute {
  userPropertyKey?: string;
  thingAttribute?: string;
  connectionAttribute?: string;
}

/** A thing type's properties (botocore's ThingTypeProperties): only the members given are kept. */
export interface ThingTypeProperties {
  thingTypeDescription?: string;
  searchableAttributes?: string[];
  mqtt5Configuration?: { propagatingAttributes?: PropagatingAttribute[] };
}

/** A thing type in the registry: what DescribeThingType shows. */
export interface ThingTypeRecord {
  thingTypeName: string;
  /** Made at creation: a type deleted and created again under its name is another type. */
  thingTypeId: string;
  thingTypeArn: string;
  properties: ThingTypeProperties;
  createdAt: number;
  /** When it was deprecated; absent while it is not. */
  deprecatedAt?: number;
  /** How many things are of this type (the store keeps it, with every write that gives or takes a thing the type). */
  thingCount: number;
}

/** AWS's limit of searchable attributes on a thing type. */
export const MAX_SEARCHABLE_ATTRIBUTES = 3;

/** AWS's wait between deprecating a thing type and deleting it. */
export const DELETE_AFTER_DEPRECATION_MS = 5 * 60 * 1000;

/** Attributes a thing may have: AWS's limits with a thing type, and without one. */
export const MAX_TYPED_THING_ATTRIBUTES = 50;
export const MAX_UNTYPED_THING_ATTRIBUTES = 3;

export const maxAttributesOf = (thingTypeName: string | undefined): number =>
  thingTypeName === undefined ? MAX_UNTYPED_THING_ATTRIBUTES : MAX_TYPED_THING_ATTRIBUTES;

/** JSON with its object members in name order: the same properties give the same text, whatever order they came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A CreateThingType sent again with the same properties is answered as the first; other properties are refused. */
export const sameProperties = (a: ThingTypeProperties, b: ThingTypeProperties): boolean =>
  canonical(a) === canonical(b);

/** Why DeleteThingType may not delete this type now (undefined: it may). */
export function whyNotDeletable(type: ThingTypeRecord, now: number): string | undefined {
  if (type.deprecatedAt === undefined)
    return `Thing type ${type.thingTypeName} is not deprecated: deprecate it, then delete it 5 minutes later`;
  const from = type.deprecatedAt + DELETE_AFTER_DEPRECATION_MS;
  if (now < from) {
    return (
      `Thing type ${type.thingTypeName} was deprecated at ${new Date(type.deprecatedAt).toISOString()}; ` +
      `it can be deleted 5 minutes later, from ${new Date(from).toISOString()}`
    );
  }
  if (type.thingCount > 0) {
    return (
      `Thing type ${type.thingTypeName} still has ${type.thingCount} thing${type.thingCount === 1 ? '' : 's'}: ` +
      'give them another type (UpdateThing) or none, or delete them, first'
    );
  }
  return undefined;
}
