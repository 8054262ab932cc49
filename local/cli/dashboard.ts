import { startDashboardServer } from '../dashboard/dashboard-server';
import { signedGet, signedRequest } from '../http/signed-fetch';
import { parseCommandLine, usageError } from './command-line';

const USAGE = `Usage: npm run dashboard -- --management-url <url> --region <name> [--port <n>]

Serves the dashboard (jobs, their progress and counts over time, each
execution's timeline, and its actions: create, update, cancel and delete
jobs, cancel executions) on 127.0.0.1 for a deployed stack's management API.
Each call the page makes is signed (SigV4, execute-api) with your own AWS
credentials (the SDK's default chain: environment, profile, SSO, instance
role), so IAM decides what it may do, as for the AWS CLI. Only the page
itself, on this machine, may act: a change sent by any other page or client
is refused. A local runner (npm start) serves the dashboard itself: the URL
it prints at start.

  --management-url <url>   the stack's ManagementApiUrl output (required)
  --region <name>          the stack's region   [AWS_REGION]
  --port <n>               where to serve   default 8092 (0: any free port)
  --help                   show this text`;

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    options: {
      'management-url': { type: 'string' },
      region: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!values['management-url']) usageError(USAGE, 'Say which management API: --management-url <ManagementApiUrl>.');
  let base: URL;
  try {
    base = new URL(values['management-url']);
  } catch {
    usageError(USAGE, `--management-url must be a URL, not ${values['management-url']}`);
  }
  const port = Number(values.port ?? 8092);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usageError(USAGE, `--port must be a port number, not ${values.port}`);
  const region = values.region ?? process.env.AWS_REGION;
  const root = base.href.replace(/\/+$/, '');
  // Fails here, before serving, when the region is missing or nothing answers; says so when the API refuses these
  // credentials.
  const probe = await signedGet(new URL(`${root}/jobs?maxResults=1`), region);
  if (!probe.ok)
    console.error(
      `Warning: ${root} answered ListJobs with ${probe.status} ${((await probe.json().catch(() => ({}))) as { message?: string }).message ?? probe.statusText}: the page will show that error.`,
    );
  const { url } = await startDashboardServer(
    (method, pathAndQuery, body) => signedRequest(method, new URL(`${root}${pathAndQuery}`), region, body),
    port,
  );
  console.log(
    `Dashboard for ${root}: ${url}\n(each call signed with your AWS credentials${region ? ` for ${region}` : ''}; Ctrl-C to stop)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
