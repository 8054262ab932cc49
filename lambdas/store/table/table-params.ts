import type { DeleteCommandInput, PutCommandInput, QueryCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;
export type Key = Record<string, string>;

/** A write's parameters as a store's params builder makes them: everything but the table, which the gateway adds. */
export type UpdateParams = Omit<UpdateCommandInput, 'TableName'>;
export type PutParams = Omit<PutCommandInput, 'TableName'>;
export type DeleteParams = Omit<DeleteCommandInput, 'TableName'>;
export type QueryParams = Omit<QueryCommandInput, 'TableName'>;
/** A ConditionCheck of a TransactWriteItems, without the table. */
export type ConditionCheckParams = Omit<UpdateParams, 'UpdateExpression' | 'ReturnValues'> & {
  ConditionExpression: string;
};
/** One item of a TransactWriteItems, without the table. */
export type TransactParams =
  | { Put: PutParams }
  | { Update: UpdateParams }
  | { Delete: DeleteParams }
  | { ConditionCheck: ConditionCheckParams };

/** A conditional write's result: the item after it, or (refused) the item as it stood. */
export type RawOutcome = { applied: true; item: Item } | { applied: false; item?: Item };
/**
 * A transaction's result; canceled, the cancellation code of each of its items in order (`None` for those that passed,
 * `ConditionalCheckFailed`, `TransactionConflict`, ...).
 */
export type TransactOutcome =
  | { applied: true }
  | {
      applied: false;
      reasons: (string | undefined)[];
      /** Each item as it stood, where its write asked for it (ReturnValuesOnConditionCheckFailure) and its check failed. */
      items?: (Item | undefined)[];
    };
