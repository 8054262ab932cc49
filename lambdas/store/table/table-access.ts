import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { forEachLimited } from '../../jobs/shared/concurrency';
import { ServiceUnavailableException } from '../../jobs/shared/errors';
import type { WriteOutcome } from '../../jobs/execution/store';
import { namesFor, type Conditions } from './expressions';
import { translateInfrastructureError } from './infrastructure-errors';
import { fromExecutionItem } from '../items';

type Item = Record<string, unknown>;
type Key = Record<string, string>;

/** A conditional write's result: the item after it, or (refused) the item as it stood. */
export type RawOutcome = { applied: true; item: Item } | { applied: false; item?: Item };

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The table and the few ways the repositories talk to it, with DynamoDB's errors translated in one place. */
export class TableAccess {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** One conditional UpdateItem; a failed condition comes back as the item that failed it (ALL_OLD), no second read. */
  async update(key: Key, UpdateExpression: string, values: Item, conditions: Conditions): Promise<RawOutcome> {
    try {
      const result = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression,
            ConditionExpression: conditions.expression,
            ...namesFor(UpdateExpression, conditions.expression),
            ExpressionAttributeValues: { ...values, ...conditions.values },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { applied: true, item: result.Attributes ?? {} };
    } catch (error) {
      return refused(error);
    }
  }

  /** One conditional DeleteItem; applied, it returns the deleted item. */
  async delete(key: Key, conditions: Conditions): Promise<RawOutcome> {
    try {
      const result = await this.send(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: conditions.expression,
            ...namesFor(conditions.expression),
            ...(Object.keys(conditions.values).length ? { ExpressionAttributeValues: conditions.values } : {}),
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { applied: true, item: result.Attributes ?? {} };
    } catch (error) {
      return refused(error);
    }
  }

  /** An execution's conditional update, as the domain sees it. */
  async updateExecution(key: Key, UpdateExpression: string, values: Item, conditions: Conditions): Promise<WriteOutcome> {
    return toExecutionOutcome(await this.update(key, UpdateExpression, values, conditions));
  }

  /** One strongly consistent GetItem: the item as the last write left it. */
  async get(key: Key): Promise<Item | undefined> {
    const result = await this.send(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    return result.Item;
  }

  async query(input: Omit<QueryCommandInput, 'TableName'>) {
    return this.send(() => this.db.send(new QueryCommand({ TableName: this.tableName, ...input })));
  }

  /**
   * BatchWriteItem in chunks of 25, `parallelChunks` at a time (one by
   * default), retrying what DynamoDB leaves unprocessed with capped
   * exponential backoff and jitter.
   */
  async batchWrite(requests: ({ PutRequest: { Item: object } } | { DeleteRequest: { Key: Key } })[], parallelChunks = 1): Promise<void> {
    const chunks: (typeof requests)[] = [];
    for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
    await forEachLimited(chunks, parallelChunks, async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === MAX_BATCH_ATTEMPTS) throw new ServiceUnavailableException('The job store is busy; retry');
        if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const result = await this.send(() => this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })));
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    });
  }

  async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw translateInfrastructureError(error);
    }
  }
}

export function toExecutionOutcome(outcome: RawOutcome): WriteOutcome {
  if (outcome.applied) return { applied: true, record: fromExecutionItem(outcome.item) };
  return { applied: false, ...(outcome.item ? { current: fromExecutionItem(outcome.item) } : {}) };
}

/** A failed condition, with the item as it stood; it arrives unmarshalled even through the document client. */
function refused(error: unknown): RawOutcome {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return { applied: false, ...(item ? { item: unmarshall(item) } : {}) };
}
