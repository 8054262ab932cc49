import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueryIndex, TableAction } from '../../lambdas/api/routes';

/** What one function is granted on the table, as the stack writes it into its role. */
export interface Grant {
  tableActions: readonly TableAction[];
  queryIndex?: QueryIndex;
  /** A function that queries more than one index (the job worker). */
  queryIndexes?: readonly QueryIndex[];
}

/** The DynamoDB command (as the middleware sees it, under the document client) and the IAM action it needs. */
const ACTION_OF_COMMAND: Record<string, TableAction> = {
  GetItemCommand: 'dynamodb:GetItem',
  QueryCommand: 'dynamodb:Query',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  PutItemCommand: 'dynamodb:PutItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
};

/** IAM authorizes each item of a TransactWriteItems by its own action. */
const ACTION_OF_TRANSACT_ITEM: Record<string, TableAction> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

function actionsOf(commandName: string, input: Record<string, unknown>): string[] {
  if (commandName === 'TransactWriteItemsCommand') {
    return (input.TransactItems as Record<string, unknown>[]).map(
      (item) => ACTION_OF_TRANSACT_ITEM[Object.keys(item)[0]!] ?? `unknown transact item ${Object.keys(item)[0]}`,
    );
  }
  return [ACTION_OF_COMMAND[commandName] ?? `unknown command ${commandName}`];
}

/**
 * Makes a client refuse, as IAM would, every call outside a function's grant:
 * an action it was not given, or a Query on an index other than its own. Each
 * refusal is recorded in `refusals` and fails the call with AccessDeniedException.
 */
export function guardGrants(client: DynamoDBDocumentClient, grant: Grant, refusals: string[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const commandName = String(context.commandName);
      const denied = actionsOf(commandName, input).filter(
        (action) => !(grant.tableActions as readonly string[]).includes(action),
      );
      const index = input.IndexName as string | undefined;
      if (index !== undefined && index !== grant.queryIndex && !grant.queryIndexes?.includes(index as QueryIndex))
        denied.push(`dynamodb:Query on index ${index}`);
      if (denied.length) {
        refusals.push(...denied);
        throw Object.assign(new Error(`not authorized to perform ${denied.join(', ')}`), {
          name: 'AccessDeniedException',
          $fault: 'client',
        });
      }
      return await next(args);
    },
    { step: 'initialize', name: 'guardGrants' },
  );
}
