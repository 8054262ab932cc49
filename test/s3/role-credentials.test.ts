import { describe, expect, it } from 'vitest';
import { RoleCredentials } from '../../lambdas/s3/role-credentials';

/** The job roles' credentials a container presigns with: assumed once, kept while they cover the URLs asked for. */
describe("the job role's credentials", () => {
  const session = (expiresAt: number, id: string) => ({
    accessKeyId: id,
    secretAccessKey: 's',
    sessionToken: 't',
    expiration: new Date(expiresAt),
  });

  it('are assumed once per role and kept while they cover the URL asked for', async () => {
    let now = 0;
    const asked: [string, number][] = [];
    const roles = new RoleCredentials(
      (role, seconds) => {
        asked.push([role, seconds]);
        return Promise.resolve(session(now + seconds * 1000, `k${asked.length}`));
      },
      () => now,
    );
    expect((await roles.forUrlsOf('r1', 3600)).accessKeyId).toBe('k1');
    now = 3_000_000; // 4200 s left of 7200
    expect((await roles.forUrlsOf('r1', 3600)).accessKeyId).toBe('k1');
    expect((await roles.forUrlsOf('r2', 60)).accessKeyId).toBe('k2');
    now = 4_000_000; // 3200 s left: no longer covers a URL of an hour
    expect((await roles.forUrlsOf('r1', 3600)).accessKeyId).toBe('k3');
    expect(asked).toEqual([
      ['r1', 7200],
      ['r2', 7200],
      ['r1', 7200],
    ]);
  });

  it("falls back to one-hour sessions when the role's MaxSessionDuration refuses two", async () => {
    const asked: number[] = [];
    const roles = new RoleCredentials(
      (_role, seconds) => {
        asked.push(seconds);
        if (seconds > 3600) return Promise.reject(Object.assign(new Error('too long'), { name: 'ValidationError' }));
        return Promise.resolve(session(seconds * 1000, 'k'));
      },
      () => 0,
    );
    await roles.forUrlsOf('r', 3600);
    await roles.forUrlsOf('r', 3600);
    expect(asked).toEqual([7200, 3600]);
  });
});
