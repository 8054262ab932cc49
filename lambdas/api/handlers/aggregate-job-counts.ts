import type { DynamoDBStreamEvent } from 'aws-lambda';
import { runtimeServices } from '../../runtime';

/**
 * Reads the jobs table's stream. A failure fails the whole batch, which
 * Lambda delivers again; the counts repository recognises a batch it has
 * counted, so nothing is counted twice.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  await runtimeServices().aggregateCounts(event.Records);
}
