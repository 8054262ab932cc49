import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLive } from '../../jobs/fleet/thing-group';
import type { ThingGroupDocumentFields } from '../../jobs/index/group-matcher';
import type { GroupSearch, GroupSearchStore } from '../../jobs/index/store';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import type { Item } from '../table/table-params';
import { fromGroupItem, groupListPageKey, groupListQuery } from './thing-group-items';

export function groupDocumentOf(item: Item): ThingGroupDocumentFields {
  const group = fromGroupItem(item);
  return {
    thingGroupName: group.thingGroupName,
    thingGroupId: group.thingGroupId,
    ...(group.description !== undefined ? { thingGroupDescription: group.description } : {}),
    parentGroupNames: group.ancestors.map((ancestor) => ancestor.groupName),
    attributes: group.attributes,
  };
}

/**
 * SearchIndex's reads of the thing groups index, which is the registry's groups themselves: a group by name
 * (GetItem), or the list of groups from a name prefix on, a bounded number of queries per page, keeping what the
 * matcher keeps. Groups being deleted are gone to the search as to every other read.
 */
export class DynamoGroupSearchStore implements GroupSearchStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async searchGroups(search: GroupSearch, page: PageQuery): Promise<Page<ThingGroupDocumentFields>> {
    const { access } = search;
    if (access.kind === 'group') {
      const item = await this.access.get(keys.thingGroup(access.thingGroupName));
      const group = item && isLive(fromGroupItem(item)) ? groupDocumentOf(item) : undefined;
      return { items: group && search.matches(group) ? [group] : [] };
    }
    const list = `search/${createHash('sha256').update(search.list).digest('base64url').slice(0, 22)}`;
    const query = groupListQuery(access.prefix ? { namePrefix: access.prefix } : {});
    const result = await this.access.queryPage(list, page, query, groupListPageKey, async (items) =>
      items.filter((item) => search.matches(groupDocumentOf(item))),
    );
    return {
      items: result.items.map(groupDocumentOf),
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
    };
  }
}
