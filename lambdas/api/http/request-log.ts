import { ENVIRONMENT } from '../../environment';

/** One line per request: what an operator (or a firmware developer watching a device poll) reads first. */
export interface RequestLogLine {
  /** When the request came in, ISO 8601. */
  time: string;
  level: 'info';
  operation: string;
  requestId: string;
  /** The HTTP status answered. */
  status: number;
  /** From the event to the answer, in ms (three decimals). */
  latencyMs: number;
  thingName?: string;
  jobId?: string;
}

export type RequestLogSink = (line: RequestLogLine) => void;

/**
 * In Lambda: one JSON line on stdout (CloudWatch Logs) per request, unless
 * LOG_LEVEL asks for errors only. Lambda adds nothing to a line that is
 * already JSON, so it can be queried by its fields in Logs Insights.
 */
export const lambdaRequestLog: RequestLogSink = (line) => {
  const level = process.env[ENVIRONMENT.logLevel];
  if (level === 'error' || level === 'warn') return;
  console.log(JSON.stringify(line));
};

/** The local runner's `--log-requests`: one short line a person reads, e.g. `19:20:03.020 GetPendingJobExecutions t1 200 2.9 ms`. */
export function humanRequestLine(line: RequestLogLine): string {
  const subject = [line.thingName, line.jobId].filter(Boolean).join(' ');
  return `${line.time.slice(11, 23)} ${line.operation}${subject ? ` ${subject}` : ''} ${line.status} ${line.latencyMs.toFixed(1)} ms ${line.requestId}`;
}
