import type { DynamoDBStreamEvent } from 'aws-lambda';
import { runtimeServices } from '../../runtime';

/**
 * Reads the membership items' changes off the jobs table's stream. A failure
 * fails the whole batch, which Lambda delivers again: each thing is
 * reconciled with its memberships as they are then, so nothing is done twice.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  await runtimeServices().reactToMemberships(event.Records);
}
