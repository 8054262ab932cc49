import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CallTally } from '../workload/workload';

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

export interface CallMeter {
  /** The calls since the last reset. */
  snapshot(): CallTally;
  reset(): void;
}

/**
 * Counts the client's DynamoDB calls by command and asks each for its consumed
 * capacity (ReturnConsumedCapacity TOTAL), which it adds up.
 */
export function meterDynamoCalls(client: DynamoDBDocumentClient): CallMeter {
  let tally: CallTally = { calls: {}, capacityUnits: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      tally.calls[name] = (tally.calls[name] ?? 0) + 1;
      const result = await next(args);
      tally.capacityUnits += capacityOf((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity);
      return result;
    },
    { step: 'initialize', name: 'benchCallMeter' },
  );
  return {
    snapshot: () => ({ calls: { ...tally.calls }, capacityUnits: tally.capacityUnits }),
    reset: () => (tally = { calls: {}, capacityUnits: 0 }),
  };
}

function capacityOf(consumed: Capacity): number {
  if (!consumed) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}
