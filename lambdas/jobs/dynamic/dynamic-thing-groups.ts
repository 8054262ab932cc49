import type { ThingGroupStore } from '../fleet/store';
import { isLive, newGroupRecord, type ThingGroupRecord } from '../fleet/thing-group';
import type { IndexQuery } from '../index/index-query';
import { isIndexOn, THINGS_INDEX } from '../index/indexing-configuration';
import { parseIndexQuery } from '../index/query-parser';
import type { IndexingConfigurationStore } from '../index/store';
import { checkThingFields, connectivityFieldOf } from '../index/thing-matcher';
import { type ArnContext, thingGroupArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  InvalidQueryException,
  InvalidRequestException,
  LimitExceededException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  VersionConflictException,
} from '../shared/errors';
import { type DynamicQuery, MAX_DYNAMIC_GROUPS, QUERY_VERSION, wrongKindRefusal } from './dynamic-group';
import type { DynamicGroupStore } from './store';

export interface DynamicQueryInput {
  queryString: string;
  queryVersion?: string;
  indexName?: string;
}

export interface CreateDynamicThingGroupInput extends DynamicQueryInput {
  thingGroupName: string;
  description?: string;
  attributes: Record<string, string>;
}

export interface UpdateDynamicThingGroupInput extends Partial<DynamicQueryInput> {
  thingGroupName: string;
  description?: string;
  /** Absent: the attributes stay; given, laid over them (merge) or in their place, an empty value removing one. */
  attributes?: Record<string, string>;
  merge: boolean;
  expectedVersion?: number;
}

/**
 * Dynamic thing groups (AWS IoT's): a group whose members are the things a fleet indexing query matches. Its
 * membership is built off the request path (BUILDING, then ACTIVE) and kept as things change (membership-upkeep.ts);
 * every other operation on it is a thing group's (DescribeThingGroup, the lists, DeleteThingGroup's deletion).
 */
export class DynamicThingGroups {
  constructor(
    private readonly store: DynamicGroupStore,
    private readonly groups: Pick<ThingGroupStore, 'getGroup' | 'removeMarkedGroup'>,
    private readonly indexing: IndexingConfigurationStore,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async createDynamicThingGroup(input: CreateDynamicThingGroupInput) {
    const dynamic = await this.checkedQuery(input, 'BUILDING');
    // A dynamic group is in no hierarchy: no parent, no ancestors.
    const group: ThingGroupRecord & { dynamic: DynamicQuery } = {
      ...newGroupRecord(
        { thingGroupName: input.thingGroupName, description: input.description, attributes: input.attributes },
        {
          thingGroupId: this.newId(),
          thingGroupArn: thingGroupArn(this.arns, input.thingGroupName),
          ancestors: [],
          createdAt: this.clock(),
        },
      ),
      dynamic,
    };
    const outcome = await this.store.createDynamicGroup(group, MAX_DYNAMIC_GROUPS);
    if (outcome.applied) return { ...identity(group), ...queryView(dynamic) };
    // Turned off since checkedQuery read it on.
    if (outcome.indexOff) throw new ResourceNotFoundException(`Index ${dynamic.indexName} does not exist`);
    if (outcome.overLimit)
      throw new LimitExceededException(`An account has at most ${MAX_DYNAMIC_GROUPS} dynamic thing groups`);
    const existing = outcome.current;
    throw new ResourceAlreadyExistsException(
      `Thing Group ${input.thingGroupName} already exists in current account with different properties`,
      existing?.thingGroupId ?? input.thingGroupName,
      existing?.thingGroupArn,
    );
  }

  /** A new query builds the membership again (REBUILDING); properties alone change nothing of it. */
  async updateDynamicThingGroup(input: UpdateDynamicThingGroupInput) {
    const group = await this.dynamicGroup(input.thingGroupName, 'UpdateThingGroup');
    if (input.expectedVersion !== undefined && input.expectedVersion !== group.version)
      throw versionConflict(group.thingGroupName, input.expectedVersion, group.version);
    const queryChanged = input.queryString !== undefined && input.queryString !== group.dynamic.queryString;
    const checked = await this.checkedQuery(
      { ...group.dynamic, ...definedOf(input) },
      queryChanged ? 'REBUILDING' : group.dynamic.status,
    );
    // The same query keeps its build where it stands; a new one starts its own.
    const dynamic: DynamicQuery = queryChanged
      ? checked
      : { ...group.dynamic, indexName: checked.indexName, queryVersion: checked.queryVersion };
    const attributes =
      input.attributes === undefined
        ? group.attributes
        : Object.fromEntries(
            Object.entries(input.merge ? { ...group.attributes, ...input.attributes } : input.attributes).filter(
              ([, value]) => value !== '',
            ),
          );
    const description = input.description ?? group.description;
    const updated = {
      ...group,
      version: group.version + 1,
      attributes,
      ...(description !== undefined ? { description } : {}),
      dynamic,
    };
    const outcome = await this.store.updateDynamicGroup(updated, group.version);
    if (outcome.applied) return { version: updated.version };
    if (!outcome.current || !isLive(outcome.current)) throw notFound(input.thingGroupName);
    throw versionConflict(group.thingGroupName, input.expectedVersion ?? group.version, outcome.current.version);
  }

  /** As DeleteThingGroup: none is no error; its memberships go (continuous jobs see them leave), then the group. */
  async deleteDynamicThingGroup(input: { thingGroupName: string; expectedVersion?: number }): Promise<object> {
    let group = await this.groups.getGroup(input.thingGroupName);
    if (!group) return {};
    if (!group.dynamic) throw wrongKindRefusal(group.thingGroupName, false, 'DeleteThingGroup');
    if (isLive(group)) {
      if (input.expectedVersion !== undefined && input.expectedVersion !== group.version)
        throw versionConflict(group.thingGroupName, input.expectedVersion, group.version);
      const marked = await this.store.markDeleting(group, input.expectedVersion, this.clock());
      if (marked.applied) group = marked.group;
      else if (!marked.current || marked.current.thingGroupId !== group.thingGroupId) return {};
      else if (!isLive(marked.current)) group = marked.current;
      else throw versionConflict(group.thingGroupName, input.expectedVersion ?? group.version, marked.current.version);
    }
    if (!(await this.groups.removeMarkedGroup(group)))
      throw new ServiceUnavailableException(
        `Thing group ${group.thingGroupName} still has members being removed; retry DeleteDynamicThingGroup to finish it`,
      );
    return {};
  }

  /** The query parsed and checked as SearchIndex checks it; refused while the things index is off (AWS). */
  private async checkedQuery(input: DynamicQueryInput, status: DynamicQuery['status']): Promise<DynamicQuery> {
    // The request's own faults first, then what the account has.
    checkedThingQuery(input.queryString);
    const indexName = input.indexName ?? THINGS_INDEX;
    const config = await this.indexing.getConfiguration();
    if (indexName !== THINGS_INDEX || !config || !isIndexOn(config, THINGS_INDEX))
      throw new ResourceNotFoundException(`Index ${indexName} does not exist`);
    const queryVersion = input.queryVersion ?? QUERY_VERSION;
    if (queryVersion !== QUERY_VERSION)
      throw new InvalidRequestException(`queryVersion: ${queryVersion} is not offered; ${QUERY_VERSION} is`);
    return { queryString: input.queryString, queryVersion, indexName, status, buildId: this.newId() };
  }

  private async dynamicGroup(name: string, staticOperation: string) {
    const group = await this.groups.getGroup(name);
    if (!group || !isLive(group)) throw notFound(name);
    if (!group.dynamic) throw wrongKindRefusal(name, false, staticOperation);
    return group as ThingGroupRecord & { dynamic: DynamicQuery };
  }
}

/**
 * A dynamic group's query, parsed and held to the registry's fields (InvalidQueryException otherwise): its upkeep
 * follows the registry's changes, not connections, so a query on connectivity is refused by name.
 */
export function checkedThingQuery(queryString: string): IndexQuery {
  const query = parseIndexQuery(queryString);
  const connectivity = connectivityFieldOf(query);
  if (connectivity !== undefined)
    throw new InvalidQueryException(
      `queryString: ${connectivity}: a dynamic thing group on connectivity is not offered (SearchIndex answers it)`,
    );
  return checkThingFields(query);
}

const queryView = (dynamic: DynamicQuery) => ({
  indexName: dynamic.indexName,
  queryString: dynamic.queryString,
  queryVersion: dynamic.queryVersion,
});

const identity = (group: ThingGroupRecord) => ({
  thingGroupName: group.thingGroupName,
  thingGroupArn: group.thingGroupArn,
  thingGroupId: group.thingGroupId,
});

const definedOf = (input: Partial<DynamicQueryInput>): Partial<DynamicQueryInput> =>
  Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k in QUERY_FIELDS));
const QUERY_FIELDS = { queryString: true, queryVersion: true, indexName: true };

const notFound = (name: string) => new ResourceNotFoundException(`Thing group ${name} does not exist`);
const versionConflict = (name: string, expected: number, current: number) =>
  new VersionConflictException(
    `Thing group ${name} is at version ${current}, not the version ${expected} the update expected`,
  );
