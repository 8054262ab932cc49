import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobTemplateRecord } from '../jobs/management/job-template';
import type { JobTemplateStore } from '../jobs/management/job-templates';
import type { Page, PageQuery } from '../jobs/shared/ports';
import { CONDITION } from './table/expressions';
import { keys } from './table/keys';
import type { PageKeyShape } from './table/page-token';
import { TableAccess } from './table/table-access';
import { JOBS_TABLE } from './table/table-design';
import type { DeleteParams, Item, PutParams, QueryParams } from './table/table-params';

/** Job templates (`JOBTEMPLATE#<id>` / `JOBTEMPLATE`), listed by ID in the registry index's `JOBTEMPLATES` list. */

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
const TABLE_KEY = [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey];

export const createTemplateParams = (template: JobTemplateRecord): PutParams => ({
  Item: {
    ...keys.jobTemplate(template.jobTemplateId),
    ...template,
    [LIST]: keys.templateList,
    [LIST_KEY]: template.jobTemplateId,
  },
  // Only a new ID: a template is never replaced (ConflictException).
  ConditionExpression: CONDITION.absent,
});

export const deleteTemplateParams = (templateId: string): DeleteParams => ({
  Key: keys.jobTemplate(templateId),
  ConditionExpression: CONDITION.exists,
});

export const templateListQuery: QueryParams = {
  IndexName: INDEX,
  KeyConditionExpression: `${LIST} = :list`,
  ExpressionAttributeValues: { ':list': keys.templateList },
};

const templateListPageKey: PageKeyShape = {
  attributes: [...TABLE_KEY, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: keys.templateList }),
};

function fromTemplateItem(item: Item): JobTemplateRecord {
  const { pk: _pk, sk: _sk, [LIST]: _list, [LIST_KEY]: _key, ...template } = item;
  return template as unknown as JobTemplateRecord;
}

export class DynamoJobTemplateStore implements JobTemplateStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async createTemplate(template: JobTemplateRecord) {
    const outcome = await this.access.put(createTemplateParams(template));
    return outcome.applied
      ? ({ applied: true } as const)
      : { applied: false as const, ...(outcome.item ? { current: fromTemplateItem(outcome.item) } : {}) };
  }

  async getTemplate(templateId: string): Promise<JobTemplateRecord | undefined> {
    const item = await this.access.get(keys.jobTemplate(templateId));
    return item ? fromTemplateItem(item) : undefined;
  }

  async listTemplates(page: PageQuery): Promise<Page<JobTemplateRecord>> {
    const result = await this.access.queryPage('job-templates', page, templateListQuery, templateListPageKey);
    return { items: result.items.map(fromTemplateItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  async deleteTemplate(templateId: string): Promise<boolean> {
    return (await this.access.delete(deleteTemplateParams(templateId))).applied;
  }
}
