import { InvalidRequestException } from '../shared/errors';

/** What makes a thing group dynamic: its query, and where the build of its membership stands. */
export type DynamicGroupStatus = 'BUILDING' | 'ACTIVE' | 'REBUILDING';

export interface DynamicQuery {
  queryString: string;
  queryVersion: string;
  indexName: string;
  /** BUILDING (new), REBUILDING (its query changed): the walk of the fleet is under way; ACTIVE once it is done. */
  status: DynamicGroupStatus;
  /**
   * Made with each query (creation, each change of it): a page of a build writes only while its build is the group's,
   * so a build overtaken by a newer query stops where it stands.
   */
  buildId: string;
  /** The last thing (by name) the build has passed: where it goes on after a stop. Absent before the first page. */
  buildAfter?: string;
}

/** AWS's quota of dynamic thing groups per account (Service Quotas: "Maximum number of dynamic thing groups"). */
export const MAX_DYNAMIC_GROUPS = 100;
/** The one query version AWS offers, and takes when none is given. */
export const QUERY_VERSION = '2017-09-30';

/** What a dynamic group's membership upkeep reads of it: one small listing per group, all read at once. */
export interface DynamicGroupListing {
  thingGroupName: string;
  thingGroupId: string;
  thingGroupArn: string;
  queryString: string;
  buildId: string;
}

/** Refused for a dynamic group: its members are what its query matches, never added or removed by hand (AWS). */
export const dynamicGroupRefusal = (groupName: string) =>
  new InvalidRequestException(
    `Thing group ${groupName} is a dynamic thing group: its members are the things its query matches, ` +
      'so things are not added to it or removed from it by hand',
  );

/** Refused: an operation of dynamic groups on a static one, or of static groups on a dynamic one. */
export const wrongKindRefusal = (groupName: string, dynamic: boolean, use: string) =>
  new InvalidRequestException(
    `Thing group ${groupName} is ${dynamic ? 'a dynamic' : 'a static'} thing group: use ${use}`,
  );
