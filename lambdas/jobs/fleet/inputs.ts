import type { PageQuery } from '../shared/ports';
import type { AttributeFilter } from './thing';

/** The registry operations' inputs, validated (api/requests parses them). */

export interface ThingNameInput {
  thingName: string;
}

export interface CreateThingInput {
  thingName: string;
  attributes: Record<string, string>;
  thingTypeName?: string;
}

export interface ListThingsInput extends PageQuery {
  attributeFilter?: AttributeFilter;
  /** Only the things of this type. */
  thingTypeName?: string;
}

export interface UpdateThingInput {
  thingName: string;
  /** Absent: the attributes stay as they are (the version still moves, as AWS does). */
  attributes?: Record<string, string>;
  merge: boolean;
  expectedVersion?: number;
  /** The type the thing is given instead of its own (removeThingType: false, or absent, keeps it). */
  thingTypeName?: string;
  removeThingType: boolean;
}

export interface DeleteThingInput {
  thingName: string;
  expectedVersion?: number;
}

export interface CreateThingGroupInput {
  thingGroupName: string;
  parentGroupName?: string;
  description?: string;
  attributes: Record<string, string>;
}

export interface ThingGroupNameInput {
  thingGroupName: string;
}

export interface ListThingGroupsInput extends PageQuery {
  namePrefix?: string;
  parentGroup?: string;
  recursive?: boolean;
}

export interface DeleteThingGroupInput {
  thingGroupName: string;
  expectedVersion?: number;
}

/** AddThingToThingGroup and RemoveThingFromThingGroup: each named by name or by ARN. */
export interface MembershipInput {
  thingGroupName: string;
  thingName: string;
  /** As given: they must name this deployment's account and region. */
  thingGroupArn?: string;
  thingArn?: string;
}

export interface ListThingsInThingGroupInput extends PageQuery {
  thingGroupName: string;
  recursive: boolean;
}

export interface ListThingGroupsForThingInput extends PageQuery {
  thingName: string;
}

export interface UpdateThingGroupInput {
  thingGroupName: string;
  /** Absent: the description stays. */
  description?: string;
  /** Absent: the attributes stay; given, laid over them (merge) or in their place, an empty value removing one. */
  attributes?: Record<string, string>;
  merge: boolean;
  expectedVersion?: number;
}

/** UpdateThingGroupsForThing: the groups a thing leaves and those it joins, in one call. */
export interface UpdateThingGroupsForThingInput {
  thingName: string;
  thingGroupsToAdd: string[];
  thingGroupsToRemove: string[];
}
