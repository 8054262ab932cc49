import { signedGet } from '../http/signed-fetch';
import { parseCommandLine, usageError } from './command-line';

const USAGE = `Usage: npm run history -- --thing <name> [--job-id <id>] [options]

Prints what happened to a thing's job executions, oldest first within each
job: every change (created, released, started, progress, succeeded, failed,
rejected, timed out and by which timer, canceled, removed, retried, deleted),
when, at which version, with its statusDetails, and who made it (device,
operator, timer, rollout, abort, retry, group, schedule, service) with the
request's ID.

  --thing <name>           the thing (required)
  --job-id <id>            only this job's executions
  --management-url <url>   the management API   default http://127.0.0.1:$JOBS_MANAGEMENT_PORT (8091);
                           for a deployed stack, its ManagementApiUrl output: each call is
                           signed (SigV4, execute-api) with your AWS credentials
  --region <name>          the deployed stack's region   [AWS_REGION]
  --json                   one JSON object per line instead of a table
  --help                   show this text`;

interface Entry {
  jobId: string;
  executionNumber: number;
  versionNumber: number;
  event: string;
  status: string;
  at: number;
  statusDetails?: Record<string, string>;
  actor: { kind: string; name?: string; requestId?: string; force?: boolean; timer?: string };
}

const actorText = (actor: Entry['actor']) =>
  [actor.kind, actor.name, actor.timer && `${actor.timer} timer`, actor.force && 'force'].filter(Boolean).join(' ');

function table(entries: Entry[]): string {
  const rows = [
    ['time', 'job', 'exec', 'version', 'event', 'by', 'request', 'statusDetails'],
    ...entries.map((e) => [
      new Date(e.at * 1000).toISOString(),
      e.jobId,
      String(e.executionNumber),
      String(e.versionNumber),
      e.event,
      actorText(e.actor),
      e.actor.requestId ?? '',
      e.statusDetails ? JSON.stringify(e.statusDetails) : '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    options: {
      thing: { type: 'string' },
      'job-id': { type: 'string' },
      'management-url': { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!values.thing) usageError(USAGE, 'Say which thing: --thing <name>.');
  const base = (values['management-url'] ?? `http://127.0.0.1:${process.env.JOBS_MANAGEMENT_PORT || 8091}`).replace(
    /\/+$/,
    '',
  );
  const region = values.region ?? process.env.AWS_REGION;
  const entries: Entry[] = [];
  let nextToken: string | undefined;
  do {
    const url = new URL(`${base}/history/things/${encodeURIComponent(values.thing)}`);
    if (values['job-id']) url.searchParams.set('jobId', values['job-id']);
    url.searchParams.set('maxResults', '250');
    if (nextToken) url.searchParams.set('nextToken', nextToken);
    const response = await signedGet(url, region);
    const body = (await response.json().catch(() => ({}))) as {
      history?: Entry[];
      nextToken?: string;
      message?: string;
    };
    if (!response.ok)
      throw new Error(`${url.origin} answered ${response.status}: ${body.message ?? response.statusText}`);
    if (values.json) for (const entry of body.history ?? []) console.log(JSON.stringify(entry));
    entries.push(...(body.history ?? []));
    nextToken = body.nextToken;
  } while (nextToken);
  if (values.json) return;
  if (!entries.length) {
    console.log(
      `No history for ${values.thing}${values['job-id'] ? ` and job ${values['job-id']}` : ''} (entries are kept 30 days unless the deployment says otherwise).`,
    );
    return;
  }
  console.log(table(entries));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
