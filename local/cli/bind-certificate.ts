import { readFile } from 'node:fs/promises';
import { pemFingerprint } from '../../lambdas/api/http/request';
import { validateThingName } from '../../lambdas/api/requests/validation';
import { DynamoCertificateStore } from '../../lambdas/store/certificates';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { parseCommandLine, readCommandLine, usageError } from './command-line';

const USAGE = `Usage: npm run bind-certificate -- --cert <device.pem> --thing <thingName> --table <name> [--dynamodb-endpoint <url>]
       npm run bind-certificate -- --cert <device.pem> --unbind --table <name> [--dynamodb-endpoint <url>]

Binds a device certificate to its thing in the certificate table, for deployments whose devices
are identified by table (-c deviceIdentity=certificate-table) or a local runner started with
--tls --device-identity table. Without --dynamodb-endpoint it writes to DynamoDB in AWS with your
credentials; --table is the jobs table (the IotJobsData stack's table; locally iot-jobs).`;

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    options: {
      cert: { type: 'string' },
      thing: { type: 'string' },
      table: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      unbind: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!values.cert) usageError(USAGE, 'Say which certificate: --cert <device.pem>.');
  if (!values.table) usageError(USAGE, 'Say which table: --table <name> (the jobs table).');
  if (!values.thing && !values.unbind) usageError(USAGE, 'Say which thing: --thing <thingName>, or --unbind.');
  // A thing name AWS would refuse is a mistake in the command: said before the certificate is read.
  const thingName = values.unbind ? undefined : readCommandLine(USAGE, () => validateThingName(values.thing));
  const fingerprint = pemFingerprint(await readFile(values.cert, 'utf8'));
  if (!fingerprint) throw new Error(`${values.cert} holds no PEM certificate`);
  const client = createDocumentClient(values['dynamodb-endpoint'] ? { endpoint: values['dynamodb-endpoint'] } : {});
  const bindings = new DynamoCertificateStore(client, values.table);
  if (values.unbind) await bindings.unbind(fingerprint);
  else await bindings.bind(fingerprint, thingName!);
  client.destroy();
  console.log(JSON.stringify({ fingerprint, ...(values.unbind ? { unbound: true } : { thingName }) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
