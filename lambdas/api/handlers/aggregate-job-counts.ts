import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ENVIRONMENT } from '../../environment';
import { EventBridgeJobEvents } from '../../queue/eventbridge-job-events';
import { runtimeServices } from '../../runtime';

/** The bus the stack names; built here only, so no other function's bundle carries the EventBridge client. */
let bus: EventBridgeJobEvents | undefined;
function eventBus(): EventBridgeJobEvents | undefined {
  const name = process.env[ENVIRONMENT.eventBusName];
  if (!name) return undefined;
  bus ??= new EventBridgeJobEvents(name, runtimeServices().arns);
  return bus;
}

/**
 * Reads the jobs table's stream: the counts and the execution history first,
 * then the batch's job and execution events onto the event bus. A failure fails the whole batch,
 * which Lambda delivers again; the counts repository recognises a change it
 * has counted, so nothing is counted twice, and an event put again has the
 * same eventId (consumers drop the repeat).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  const services = runtimeServices();
  await Promise.all([services.aggregateCounts(event.Records), services.recordHistory(event.Records)]);
  const events = eventBus() && (await services.jobEventsOf(event.Records));
  if (events?.length) await bus!.publish(events);
}
