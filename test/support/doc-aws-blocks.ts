import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A block's commands, one per entry: continued lines joined, comments dropped. */
export function commandsOf(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** What the check of an `sh aws` block did with each of its commands. */
export interface AwsBlockReport {
  /** `npx cdk` commands whose app was synthesized offline with their settings. */
  synthesized: string[];
  /** Commands that make files only (openssl), run in a folder of their own. */
  ran: string[];
  /** Commands that need an AWS account, left out. */
  needAccount: string[];
}

/** The words of one command line, as bash splits them (no expansion: the lines have no variables). */
async function wordsOf(line: string): Promise<string[]> {
  const { stdout } = await run('bash', ['-c', `set -f; words=( ${line} ); printf '%s\\0' "\${words[@]}"`]);
  return stdout.split('\0').slice(0, -1);
}

/** `-c name=value` settings of a cdk command. */
function contextOf(words: string[]): Record<string, string> {
  const context: Record<string, string> = {};
  words.forEach((word, i) => {
    if ((word === '-c' || word === '--context') && words[i + 1]) {
      const [name, ...value] = words[i + 1]!.split('=');
      context[name!] = value.join('=');
    }
  });
  return context;
}

/**
 * A `cdk bootstrap` or `cdk deploy` as the docs write it, checked without an
 * account: the app synthesizes with the command's settings (as the CLI runs
 * it, bundling aside), and for a deploy the CLI finds no error in what it made.
 */
async function checkCdk(root: string, line: string): Promise<void> {
  const words = await wordsOf(line);
  const command = words.slice(2).find((word) => !word.startsWith('-'));
  if (!['bootstrap', 'deploy', 'synth'].includes(command ?? '')) throw new Error(`no offline check for: ${line}`);
  const appContext = (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context?: object }).context;
  const out = mkdtempSync(join(tmpdir(), 'doc-cdk-'));
  try {
    const env = {
      ...process.env,
      CDK_OUTDIR: out,
      // As the CLI runs the app: annotations are reported for the CLI to judge, not thrown; bundling aside.
      CDK_CONTEXT_JSON: JSON.stringify({
        ...appContext,
        ...contextOf(words),
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        'aws:cdk:bundling-stacks': [],
      }),
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'us-east-1',
    };
    await run('npx', ['tsx', 'infra/app.ts'], { cwd: root, env }).catch((error: { stderr?: string }) => {
      throw new Error(`${line}: the app did not synthesize:\n${error.stderr}`);
    });
    if (command === 'bootstrap') return;
    await run('npx', ['cdk', 'synth', '--app', out, '-q'], { cwd: root, env: process.env }).catch(
      (error: { stderr?: string }) => {
        throw new Error(`${line}: the CLI refuses what the app made:\n${error.stderr}`);
      },
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Checks an `sh aws` block as far as a machine without an AWS account can. */
export async function checkAwsBlock(root: string, text: string): Promise<AwsBlockReport> {
  const report: AwsBlockReport = { synthesized: [], ran: [], needAccount: [] };
  const folder = mkdtempSync(join(tmpdir(), 'doc-aws-'));
  try {
    for (const line of commandsOf(text)) {
      if (line === 'npm ci') continue; // The checkout under test is installed.
      if (line.startsWith('npx cdk ')) {
        await checkCdk(root, line);
        report.synthesized.push(line);
      } else if (line.startsWith('openssl ')) {
        await run('bash', ['-euo', 'pipefail', '-c', line], { cwd: folder });
        report.ran.push(line);
      } else report.needAccount.push(line);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return report;
}
