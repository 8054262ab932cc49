import {
  type AttributeValue,
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { translateInfrastructureError } from './infrastructure-errors';
import type {
  DeleteParams,
  Item,
  Key,
  PutParams,
  QueryParams,
  RawOutcome,
  TransactOutcome,
  TransactParams,
  UpdateParams,
} from './table-params';

/**
 * The one gateway to the table: every command the stores send goes through
 * here, with the table name added and DynamoDB's errors translated in one
 * place. Conditional writes return outcomes (with the item that failed them,
 * ALL_OLD, so no second read) instead of throwing.
 */
export class TableCommands {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** One conditional UpdateItem; applied, the item after it. */
  async update(params: UpdateParams): Promise<RawOutcome> {
    try {
      const result = await this.send(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            ...params,
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

  /** One PutItem (conditional if the params say so); applied, the item written. */
  async put(params: PutParams): Promise<RawOutcome> {
    try {
      await this.send(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            ...params,
            ...(params.ConditionExpression ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}),
          }),
        ),
      );
      return { applied: true, item: params.Item ?? {} };
    } catch (error) {
      return refused(error);
    }
  }

  /** One DeleteItem (conditional if the params say so); applied, the deleted item. */
  async delete(params: DeleteParams): Promise<RawOutcome> {
    try {
      const result = await this.send(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            ...params,
            ...(params.ConditionExpression
              ? { ReturnValues: 'ALL_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }
              : {}),
          }),
        ),
      );
      return { applied: true, item: result.Attributes ?? {} };
    } catch (error) {
      return refused(error);
    }
  }

  /** One strongly consistent GetItem: the item as the last write left it (only `projection`'s attributes, if given). */
  async get(key: Key, projection?: string): Promise<Item | undefined> {
    const result = await this.send(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key,
          ...(projection ? { ProjectionExpression: projection } : {}),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item;
  }

  async query(params: QueryParams): Promise<QueryCommandOutput> {
    return await this.send(() => this.db.send(new QueryCommand({ TableName: this.tableName, ...params })));
  }

  /**
   * One TransactWriteItems; a canceled transaction (a condition failed, or another write conflicted) comes back with
   * each item's reason.
   */
  async transactWrite(items: TransactParams[]): Promise<TransactOutcome> {
    const withTable = items.map((item) =>
      'Put' in item
        ? { Put: { TableName: this.tableName, ...item.Put } }
        : 'Update' in item
          ? { Update: { TableName: this.tableName, ...item.Update } }
          : 'Delete' in item
            ? { Delete: { TableName: this.tableName, ...item.Delete } }
            : { ConditionCheck: { TableName: this.tableName, ...item.ConditionCheck } },
    );
    try {
      await this.send(() => this.db.send(new TransactWriteCommand({ TransactItems: withTable as never })));
      return { applied: true };
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      if (!reasons?.length) throw error;
      return {
        applied: false,
        reasons: reasons.map((reason) => reason.Code),
        items: reasons.map((reason) =>
          reason.Item ? unmarshall(reason.Item as Record<string, AttributeValue>) : undefined,
        ),
      };
    }
  }

  protected async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException)
        throw error;
      throw translateInfrastructureError(error);
    }
  }
}

/** A failed condition, with the item as it stood; it arrives unmarshalled even through the document client. */
function refused(error: unknown): RawOutcome {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return { applied: false, ...(item ? { item: unmarshall(item) } : {}) };
}
