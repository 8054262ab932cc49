import type { RequestLogSink } from '../lambdas/api/http/request-log';
import type { JobEvent } from '../lambdas/jobs/events/job-events';
import type { SweepReport } from '../lambdas/jobs/execution/timeout-sweep';
import type { Clock } from '../lambdas/jobs/shared/clock';
import type { RuntimeConfig } from '../lambdas/runtime';
import type { ControllableClock } from './clock/controllable-clock';
import type { LocalStore } from './dynamodb/local-store';
import type { DevCertificates } from './http/dev-certificates';

/** What the local service is asked to be (npm start's options, or a test's), and what it gives back. */
export interface LocalServiceOptions {
  devicePort?: number;
  managementPort?: number;
  /** Serve the device API over MQTT too, on this port (0: any free one); without it, no MQTT. */
  mqttPort?: number;
  /** Serve an S3-compatible endpoint (s3Dir its folder, or a temporary one) on this port (0: any free one). */
  s3Port?: number;
  s3Dir?: string;
  /** Print each job and execution event as one line of JSON on stdout (`--log-events`). */
  logEvents?: boolean;
  /** Print a line per API request, HTTP or MQTT (`--log-requests`); or hand each line to this function (tests). */
  logRequests?: boolean | RequestLogSink;
  /** Hears every job and execution event, in order (tests). */
  onEvents?: (events: readonly JobEvent[]) => void;
  host?: string;
  /** Use this DynamoDB (e.g. an already running DynamoDB Local) instead of starting one. */
  dynamoEndpoint?: string;
  /** Where the embedded DynamoDB Local keeps its data; omit (or set inMemory) to keep none. */
  dataDir?: string;
  inMemory?: boolean;
  tableName?: string;
  region?: string;
  account?: string;
  clock?: Clock;
  /** Sweep expired timers this often; omitted or 0: only when asked (sweepNow, or the clock control). */
  sweepIntervalMs?: number;
  /** Serve /_local/clock on the management port, so time can be moved forward to test timeouts. */
  controllableClock?: boolean;
  /**
   * Serve the device API over HTTPS with client-certificate verification, as
   * deployed: a development CA and certificates under `dir` (made on first
   * use), one device certificate per thing in `deviceCertificates`, and each
   * request bound to the thing its certificate names.
   */
  tls?: { dir: string; deviceCertificates?: string[]; identity?: 'principal' | 'cn' };
  /**
   * How often the stream poller looks for changes to count (default 250 ms); countsCaughtUp() drains it whenever asked.
   */
  streamPollIntervalMs?: number;
  /**
   * Each write answers only once the stream has handled what it caused (counts, COMPLETED, a continuous job's joiners,
   * events, history), so the next request sees it; default true. The bench turns it off: it measures the service's
   * requests, not the runner's bookkeeping.
   */
  settleWrites?: boolean;
  /** Jobs may target things that are not registered; default false, as AWS (CreateThing them first). */
  implicitThings?: boolean;
  /**
   * A store already starting (startLocalStore, from the same options): the
   * CLI starts DynamoDB Local before it loads this module, so the JVM boots
   * while the service's modules load. Omitted: the service starts its own.
   */
  store?: Promise<LocalStore>;
  /** Handed the services' DynamoDB client before first use, to observe its calls. */
  observeDynamoClient?: RuntimeConfig['observeDynamoClient'];
}

export interface LocalService {
  deviceEndpoint: string;
  managementEndpoint: string;
  /** The dashboard's page, served beside the management API it reads. */
  dashboardUrl: string;
  dynamoEndpoint: string;
  /** The embedded DynamoDB Local's process, when this service started one. */
  dynamoProcessId?: number;
  tableName: string;
  /** Resolves once the job counts reflect every change made so far (the stream is drained). */
  countsCaughtUp(): Promise<void>;
  /** Resolves once no job work (fan-out, cascade) is running. */
  workDone(): Promise<void>;
  /** One sweep of expired timers now, as the scheduled sweeper does in AWS. */
  sweepNow(): Promise<SweepReport>;
  /** The MQTT endpoint (mqtt://host:port, or mqtts:// with tls), when asked for (mqttPort). */
  mqttEndpoint?: string;
  /** The local S3's endpoint (http://host:port), when asked for (s3Port). */
  s3Endpoint?: string;
  /** Present with the controllableClock option. */
  clock?: ControllableClock;
  /** Present with the tls option. */
  certificates?: DevCertificates;
  stop(): Promise<void>;
}
