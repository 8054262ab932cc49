import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThingTypeStore, ThingTypeWriteOutcome } from '../../jobs/fleet/types/store';
import type { ThingTypeProperties, ThingTypeRecord } from '../../jobs/fleet/types/thing-type';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import {
  createThingTypeParams,
  deleteThingTypeParams,
  fromThingTypeItem,
  setDeprecatedParams,
  thingTypeListPageKey,
  thingTypeListQuery,
  updatePropertiesParams,
} from './thing-type-items';

/** Thing types: `THINGTYPE#<name>` / `THINGTYPE`, listed by name in the registry index. */
export class DynamoThingTypeStore implements ThingTypeStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createType(type: ThingTypeRecord): Promise<ThingTypeWriteOutcome> {
    const outcome = await this.access.put(createThingTypeParams(type));
    if (outcome.applied) return { applied: true };
    return { applied: false, ...(outcome.item ? { current: fromThingTypeItem(outcome.item) } : {}) };
  }

  async getType(thingTypeName: string): Promise<ThingTypeRecord | undefined> {
    const item = await this.access.get(keys.thingType(thingTypeName));
    return item ? fromThingTypeItem(item) : undefined;
  }

  async listTypes(namePrefix: string | undefined, page: PageQuery): Promise<Page<ThingTypeRecord>> {
    const result = await this.access.queryPage(
      `thing-types/${namePrefix ?? ''}`,
      page,
      thingTypeListQuery(namePrefix),
      thingTypeListPageKey,
    );
    return { items: result.items.map(fromThingTypeItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async setDeprecated(thingTypeName: string, now: number | undefined): Promise<boolean> {
    return (await this.access.update(setDeprecatedParams(thingTypeName, now))).applied;
  }

  async updateProperties(thingTypeName: string, properties: ThingTypeProperties): Promise<boolean> {
    return (await this.access.update(updatePropertiesParams(thingTypeName, properties))).applied;
  }

  async deleteType(thingTypeName: string, deprecatedBy: number): Promise<ThingTypeWriteOutcome> {
    const outcome = await this.access.delete(deleteThingTypeParams(thingTypeName, deprecatedBy));
    if (outcome.applied) return { applied: true };
    return { applied: false, ...(outcome.item ? { current: fromThingTypeItem(outcome.item) } : {}) };
  }
}
