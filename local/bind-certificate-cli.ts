import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pemFingerprint } from '../lambdas/api/http/request';
import { validateThingName } from '../lambdas/api/requests/validation';
import { DynamoCertificateStore } from '../lambdas/store/certificates';
import { createDocumentClient } from '../lambdas/store/table/dynamo-client';

const USAGE = `Usage: npm run bind-certificate -- --cert <device.pem> --thing <thingName> --table <name> [--dynamodb-endpoint <url>]
       npm run bind-certificate -- --cert <device.pem> --unbind --table <name> [--dynamodb-endpoint <url>]

Binds a device certificate to its thing in the certificate table, for deployments whose devices
are identified by table (-c deviceIdentity=certificate-table) or a local runner started with
--tls --device-identity table. Without --dynamodb-endpoint it writes to DynamoDB in AWS with your
credentials; --table is the jobs table (the IotJobsData stack's table; locally iot-jobs).`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
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
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.cert || !values.table || (!values.thing && !values.unbind)) {
    console.error(USAGE);
    process.exit(2);
  }
  const fingerprint = pemFingerprint(await readFile(values.cert, 'utf8'));
  if (!fingerprint) throw new Error(`${values.cert} holds no PEM certificate`);
  const client = createDocumentClient(values['dynamodb-endpoint'] ? { endpoint: values['dynamodb-endpoint'] } : {});
  const bindings = new DynamoCertificateStore(client, values.table);
  if (values.unbind) await bindings.unbind(fingerprint);
  else await bindings.bind(fingerprint, validateThingName(values.thing));
  client.destroy();
  console.log(JSON.stringify({ fingerprint, ...(values.unbind ? { unbound: true } : { thingName: values.thing }) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
