import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { JobEvent, JobEventSink } from '../jobs/events/job-events';
import { type ArnContext, jobArn } from '../jobs/shared/arns';

/** The `source` of every event this service puts on its bus (a rule matches on it; `aws.` sources are AWS's own). */
export const JOB_EVENTS_SOURCE = 'open-iot-jobs';
/** PutEvents takes at most 10 entries per call. */
const ENTRIES_PER_CALL = 10;
/**
 * Entries EventBridge refused (throttled, or an internal failure) are put again this many times before the batch fails.
 */
const ATTEMPTS = 4;

/** The PutEvents entries of some events: pure, so a test reads them offline. */
export function putEventsEntries(
  events: readonly JobEvent[],
  eventBusName: string,
  arns: ArnContext,
): PutEventsRequestEntry[] {
  return events.map((event) => ({
    EventBusName: eventBusName,
    Source: JOB_EVENTS_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.payload),
    Time: new Date(event.payload.timestamp * 1000),
    // What a rule can match besides the detail: the job, and for an execution its thing.
    Resources: [jobArn(arns, event.payload.jobId), ...('thingArn' in event.payload ? [event.payload.thingArn] : [])],
  }));
}

/**
 * The deployed job events: put on an EventBridge bus. At least once: a batch
 * that cannot be put fails, and its stream batch is delivered again; each
 * event's eventId is the same every time, so a consumer drops a repeat.
 */
export class EventBridgeJobEvents implements JobEventSink {
  constructor(
    private readonly eventBusName: string,
    private readonly arns: ArnContext,
    private readonly client: Pick<EventBridgeClient, 'send' | 'destroy'> = new EventBridgeClient({
      region: arns.region,
    }),
  ) {}

  async publish(events: readonly JobEvent[]): Promise<void> {
    const entries = putEventsEntries(events, this.eventBusName, this.arns);
    for (let start = 0; start < entries.length; start += ENTRIES_PER_CALL)
      await this.put(entries.slice(start, start + ENTRIES_PER_CALL));
  }

  /** One call's entries, in order; only those refused are sent again. */
  private async put(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length; attempt++) {
      const { Entries = [] } = await this.client.send(new PutEventsCommand({ Entries: pending }));
      const refused = pending.filter(
        (_, i) => Entries[i]?.ErrorCode !== undefined || Entries[i]?.EventId === undefined,
      );
      if (refused.length && attempt >= ATTEMPTS) {
        const first = Entries.find((entry) => entry.ErrorCode);
        throw new Error(
          `EventBridge refused ${refused.length} job events (${first?.ErrorCode}: ${first?.ErrorMessage})`,
        );
      }
      pending = refused;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
