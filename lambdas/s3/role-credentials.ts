import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** What asks STS for a role's credentials (an STSClient's send, or a test's). */
export type AssumeRole = (roleArn: string, durationSeconds: number) => Promise<TemporaryCredentials>;

/**
 * The session asked for: two hours, so a session covers a URL of the longest expiresInSec (3600 s) for an hour of
 * deliveries. A role whose MaxSessionDuration is the default hour refuses that; it then gets one-hour sessions, and a
 * URL made in a session's last half hour expires with the session (S3 refuses a URL whose credentials expired).
 */
const SESSION_SECONDS = [7200, 3600] as const;

/**
 * The job roles' credentials, assumed once per container and role and kept until they no longer cover the URLs asked
 * for: a device's request makes no STS call but the first of a container (or of a new session).
 */
export class RoleCredentials {
  private readonly sessions = new Map<string, Promise<{ credentials: TemporaryCredentials; seconds: number }>>();

  constructor(
    private readonly assume: AssumeRole,
    private readonly now: () => number = Date.now,
  ) {}

  async forUrlsOf(roleArn: string, expiresInSec: number): Promise<TemporaryCredentials> {
    const cached = await this.sessions.get(roleArn)?.catch(() => undefined);
    if (cached) {
      const left = (cached.credentials.expiration.getTime() - this.now()) / 1000;
      if (left >= Math.min(expiresInSec, cached.seconds / 2)) return cached.credentials;
    }
    const starting = this.start(roleArn);
    this.sessions.set(roleArn, starting);
    starting.catch(() => this.sessions.delete(roleArn));
    return (await starting).credentials;
  }

  private async start(roleArn: string) {
    for (const seconds of SESSION_SECONDS) {
      try {
        return { credentials: await this.assume(roleArn, seconds), seconds };
      } catch (error) {
        // Over the role's MaxSessionDuration: the next, shorter, session.
        if ((error as { name?: string }).name !== 'ValidationError' || seconds === SESSION_SECONDS.at(-1)) throw error;
      }
    }
    throw new Error('unreachable');
  }
}

/** AssumeRole through STS, in the function's region, with the function's own credentials. */
export function stsAssumeRole(region: string): AssumeRole {
  let sts: STSClient | undefined;
  return async (roleArn, durationSeconds) => {
    // Made on the first presigned URL: most functions never deliver one.
    sts ??= new STSClient({ region });
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'iot-jobs-presigned-urls',
        DurationSeconds: durationSeconds,
      }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
      throw new Error(`AssumeRole of ${roleArn} gave no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
}
