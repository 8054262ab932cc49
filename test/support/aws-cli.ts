import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment the AWS CLI runs in: local credentials, and none of a developer's own profile or config. */
export const AWS_CLI_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  // Keep a developer's own profile and config out of the test.
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
};

/** The AWS CLI as a device author runs it; a failure comes back as its exit code and stderr, not as a throw. */
export async function aws(...args: string[]): Promise<{ code: number; json?: any; stderr: string }> {
  try {
    const { stdout, stderr } = await run('aws', args, { env: AWS_CLI_ENV });
    return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : undefined, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error('The AWS CLI (`aws`) is not installed; .ci/run installs it');
    return { code: Number(failed.code), stderr: failed.stderr ?? '' };
  }
}
