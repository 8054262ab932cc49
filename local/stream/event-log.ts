import type { JobEvent } from '../../lambdas/jobs/events/job-events';

/**
 * A line of `npm start -- --log-events`: the event as JSON, led by `time`, when the service printed it, in ISO 8601
 * (the field and the format of the request log's lines, which `--log-requests` prints as the time of day). A reader
 * scanning the log reads when without converting the payload's `timestamp` (epoch seconds, as AWS's events have it);
 * `now` is the service's clock, the controllable one when there is one, so the two agree however far it was moved.
 */
export function eventLogLine(event: JobEvent, now: number): string {
  return JSON.stringify({ time: new Date(now).toISOString(), event: event.topic, ...event.payload });
}
