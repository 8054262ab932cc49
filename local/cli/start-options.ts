import { parseArgs } from 'node:util';
import type { LocalServiceOptions } from '../local-service';

export const USAGE = `Usage: npm start -- [options]

Runs the jobs service on this machine: DynamoDB Local, the device API and the management API.

Options (each also read from the environment variable in brackets):
  --device-port <n>        device API port (iot-jobs-data)        [JOBS_DEVICE_PORT]      default 8090
  --management-port <n>    management API port (iot)              [JOBS_MANAGEMENT_PORT]  default 8091
  --mqtt-port <n>          MQTT port (the device topics; over     [JOBS_MQTT_PORT]        default 1883
                           mutual TLS with --tls, default 8883), 0: no MQTT
  --s3-port <n>            the local S3 (an S3-compatible         [JOBS_S3_PORT]          default 8092
                           endpoint for firmware and job documents), 0: none
  --s3-dir <path>          where the local S3 keeps its buckets   [JOBS_S3_DIR]           default ./.local-s3
                           (with --in-memory: a temporary folder)
  --log-events             print each job and execution event as  [JOBS_LOG_EVENTS=1]
                           a line of JSON (also on MQTT $aws/events/...)
  --log-requests           print a line per API request (HTTP     [JOBS_LOG_REQUESTS=1]
                           and MQTT): time, operation, thing, job, status, latency, request ID
  --host <addr>            address to listen on                   [JOBS_HOST]             default 127.0.0.1
  --data-dir <path>        where DynamoDB Local keeps its data    [JOBS_DATA_DIR]         default ./.local-data
  --in-memory              keep no data on disk                   [JOBS_IN_MEMORY=1]
  --dynamodb-endpoint <u>  use this DynamoDB instead of starting  [JOBS_DYNAMODB_ENDPOINT]
                           the embedded DynamoDB Local
  --table-name <name>      jobs table name                        [JOBS_TABLE_NAME]       default iot-jobs
  --sweep-interval <s>     seconds between timeout sweeps, 0: off [JOBS_SWEEP_INTERVAL]   default 10
  --controllable-clock     serve /_local/clock on the management  [JOBS_CONTROLLABLE_CLOCK=1]
                           port to move time forward (npm run clock)
  --tls                    device API over HTTPS with client      [JOBS_TLS=1]
                           certificates, attached to their things
  --tls-dir <path>         development CA and certificates        [JOBS_TLS_DIR]          default ./.local-tls
  --device-certs <t1,t2>   make device certificates for things,   [JOBS_DEVICE_CERTS]
                           registered and attached to them
  --device-identity <m>    principal: the thing the certificate   [JOBS_DEVICE_IDENTITY]  default principal
                           is attached to; cn: its subject CN
  --account <id>           the account in ARNs; targets must be   [JOBS_ACCOUNT]          default 123456789012
                           things of it
  --region <name>          the region in ARNs, likewise           [JOBS_REGION]           default us-east-1
  --implicit-things        jobs may target things that are not    [JOBS_IMPLICIT_THINGS=1]
                           registered (default: CreateThing first, as in AWS)
  --help                   show this text`;

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
  return n;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 86_400)
    throw new Error(`${name} must be a number of seconds from 0 to 86400, got "${value}"`);
  return n;
}

const isSet = (value: string | undefined) => ['1', 'true'].includes(value ?? '');

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): LocalServiceOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'device-port': { type: 'string' },
      'mqtt-port': { type: 'string' },
      's3-port': { type: 'string' },
      's3-dir': { type: 'string' },
      'log-events': { type: 'boolean' },
      'log-requests': { type: 'boolean' },
      'management-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'dynamodb-endpoint': { type: 'string' },
      'table-name': { type: 'string' },
      'sweep-interval': { type: 'string' },
      'controllable-clock': { type: 'boolean' },
      tls: { type: 'boolean' },
      'tls-dir': { type: 'string' },
      'device-certs': { type: 'string' },
      'device-identity': { type: 'string' },
      account: { type: 'string' },
      region: { type: 'string' },
      'implicit-things': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const inMemory = values['in-memory'] ?? isSet(env.JOBS_IN_MEMORY);
  const controllableClock = values['controllable-clock'] ?? isSet(env.JOBS_CONTROLLABLE_CLOCK);
  const tls = values.tls ?? isSet(env.JOBS_TLS);
  const implicitThings = values['implicit-things'] ?? isSet(env.JOBS_IMPLICIT_THINGS);
  const logEvents = values['log-events'] ?? isSet(env.JOBS_LOG_EVENTS);
  const logRequests = values['log-requests'] ?? isSet(env.JOBS_LOG_REQUESTS);
  const deviceCertificates = (values['device-certs'] ?? env.JOBS_DEVICE_CERTS ?? '')
    .split(',')
    .map((thing) => thing.trim())
    .filter(Boolean);
  if (deviceCertificates.length && !tls) throw new Error('--device-certs needs --tls');
  const identity = values['device-identity'] ?? env.JOBS_DEVICE_IDENTITY ?? 'principal';
  if (identity !== 'principal' && identity !== 'cn')
    throw new Error(`--device-identity must be principal or cn, not ${identity}`);
  const dynamoEndpoint = values['dynamodb-endpoint'] ?? env.JOBS_DYNAMODB_ENDPOINT;
  const account = values.account ?? env.JOBS_ACCOUNT;
  if (account !== undefined && !/^\d{12}$/.test(account))
    throw new Error(`--account must be 12 digits, not ${account}`);
  const region = values.region ?? env.JOBS_REGION;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new Error(`--region must be a region name such as eu-west-1, not ${region}`);
  return {
    devicePort: port('--device-port', values['device-port'] ?? env.JOBS_DEVICE_PORT, 8090),
    managementPort: port('--management-port', values['management-port'] ?? env.JOBS_MANAGEMENT_PORT, 8091),
    ...mqttPortOf(values['mqtt-port'] ?? env.JOBS_MQTT_PORT, tls),
    ...localS3Of(values['s3-port'] ?? env.JOBS_S3_PORT, values['s3-dir'] ?? env.JOBS_S3_DIR, inMemory),
    host: values.host ?? env.JOBS_HOST ?? '127.0.0.1',
    inMemory,
    ...(inMemory ? {} : { dataDir: values['data-dir'] ?? env.JOBS_DATA_DIR ?? '.local-data' }),
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    tableName: values['table-name'] ?? env.JOBS_TABLE_NAME ?? 'iot-jobs',
    sweepIntervalMs: seconds('--sweep-interval', values['sweep-interval'] ?? env.JOBS_SWEEP_INTERVAL, 10) * 1000,
    ...(controllableClock ? { controllableClock } : {}),
    ...(tls
      ? { tls: { dir: values['tls-dir'] ?? env.JOBS_TLS_DIR ?? '.local-tls', deviceCertificates, identity } }
      : {}),
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    ...(implicitThings ? { implicitThings } : {}),
    ...(logEvents ? { logEvents } : {}),
    ...(logRequests ? { logRequests } : {}),
  };
}

/**
 * MQTT on 1883, or over TLS on 8883 (the ports MQTT brokers and AWS IoT use), unless told otherwise; 0 turns it off.
 */
function mqttPortOf(text: string | undefined, tls: boolean): { mqttPort?: number } {
  if (text === '0') return {};
  return { mqttPort: port('--mqtt-port', text, tls ? 8883 : 1883) };
}

/**
 * The local S3 on 8092 (beside the APIs' 8090 and 8091), its buckets in .local-s3 beside .local-data, or in a
 * temporary folder with --in-memory (unless a folder is named); 0 turns it off.
 */
function localS3Of(
  text: string | undefined,
  dir: string | undefined,
  inMemory: boolean,
): { s3Port?: number; s3Dir?: string } {
  if (text === '0') return {};
  const s3Dir = dir ?? (inMemory ? undefined : '.local-s3');
  return { s3Port: port('--s3-port', text, 8092), ...(s3Dir !== undefined ? { s3Dir } : {}) };
}
