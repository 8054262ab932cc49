import { DEFAULT_TABLE_NAME, startLocalStore } from '../dynamodb/local-store';
import type { DevCertificates } from '../http/dev-certificates';
import { checkPortsFree } from '../http/service-ports';
import { readCommandLine, showUsage } from './command-line';
import { parseCliOptions, USAGE } from './start-options';

/** Who may call the local service, and with --tls how to call it as a device. */
function accessBanner(certificates: DevCertificates | undefined, device: string, mqtt: string | undefined): string {
  if (!certificates)
    return 'Requests are not authenticated locally: any credentials work, and none are checked (--tls checks device certificates).';
  const devices = Object.entries(certificates.devices);
  const lines = [
    "Devices authenticate with client certificates (--tls): a device may touch only the thing its certificate's CN names.",
    `  CA (trust it; it also signs device certificates): ${certificates.caFile}`,
    ...devices.map(([thing, pair]) => `  ${thing}: ${pair.certFile} ${pair.keyFile}`),
  ];
  const [thing, pair] = devices[0] ?? [];
  if (thing && pair) {
    lines.push(
      `  e.g. curl --cacert ${certificates.caFile} --cert ${pair.certFile} --key ${pair.keyFile} ${device}/things/${thing}/jobs`,
    );
    if (mqtt) lines.push(`  over MQTT: client ID ${thing}, with the same certificate, key and CA, at ${mqtt}`);
  }
  lines.push('The management API is not authenticated locally.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = readCommandLine(USAGE, () => parseCliOptions(process.argv.slice(2), process.env));
  if (options === 'help') showUsage(USAGE);
  // A port something else holds fails the start now, not after DynamoDB Local has booted for nothing.
  await checkPortsFree(options, options.host ?? '127.0.0.1');
  // DynamoDB Local's JVM boots (a second or more) while the service's modules load.
  const store = startLocalStore({ ...options, tableName: options.tableName ?? DEFAULT_TABLE_NAME });
  store.catch(() => {}); // startLocalService reports it
  const { startLocalService } = await import('../local-service');
  const service = await startLocalService({ ...options, store });
  const device = service.deviceEndpoint;
  const management = service.managementEndpoint;
  console.log(`IoT Jobs running locally.

  device API (iot-jobs-data):   ${device}
  management API (iot):         ${management}
  dashboard:                    ${service.dashboardUrl}${
    service.mqttEndpoint
      ? `
  device topics over MQTT:      ${service.mqttEndpoint} (client ID = thing name${service.certificates ? ', bound by its certificate' : ''})`
      : ''
  }
${
  service.s3Endpoint
    ? `  local S3:                     ${service.s3Endpoint} (${options.s3Dir ? `buckets in ${options.s3Dir}` : 'a temporary folder'}; aws s3 --endpoint-url)
`
    : ''
}  DynamoDB:                     ${service.dynamoEndpoint} (table ${service.tableName}; ${
    options.dynamoEndpoint ? 'external' : options.inMemory ? 'in memory' : `data in ${options.dataDir}`
  })

${accessBanner(service.certificates, device, service.mqttEndpoint)}
Try it with the AWS CLI:

  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${options.region ?? 'us-east-1'}${
    options.implicitThings
      ? ''
      : `
  aws iot create-thing --endpoint-url ${management} --thing-name t1`
  }
  aws iot create-job --endpoint-url ${management} --job-id j1 --targets arn:aws:iot:${options.region ?? 'us-east-1'}:${options.account ?? '123456789012'}:thing/t1 --document '{"op":"reboot"}'${
    service.certificates
      ? `
  (as the device: the curl above, or an SDK client with t1's certificate; the AWS CLI cannot present a client certificate)`
      : `
  aws iot-jobs-data start-next-pending-job-execution --endpoint-url ${device} --thing-name t1
  aws iot-jobs-data update-job-execution --endpoint-url ${device} --thing-name t1 --job-id j1 --status SUCCEEDED --expected-version 2`
  }${
    service.mqttEndpoint
      ? `

Job and execution events: subscribe to $aws/events/# on ${service.mqttEndpoint}${options.logEvents ? ' (also printed here)' : ' (or print them here with --log-events)'}.`
      : ''
  }

Timeouts: swept ${options.sweepIntervalMs ? `every ${options.sweepIntervalMs / 1000} s` : 'only when the clock is advanced'}; readers see them exactly anyway.${
    service.clock
      ? `
Clock control is on: move time forward to fire timers without waiting, e.g.

  npm run clock -- advance 11m${options.managementPort === 8091 ? '' : ` --endpoint ${management}`}
  curl -X POST ${management}/_local/clock/advance -d '{"seconds":660}'`
      : ''
  }

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (DynamoDB Local too)...`);
    await service.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
