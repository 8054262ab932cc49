import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';

/**
 * The runner's local S3: an S3-compatible endpoint on a folder, on its own port, that the AWS CLI reaches with
 * --endpoint-url, and that stops with the runner.
 */
describe('the local S3', () => {
  let fixture: WireFixture;
  let folder: string;
  let s3: string;
  const firmware = randomBytes(70_000);

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'local-s3-'));
    fixture = await startWireFixture({ s3Port: 0, s3Dir: join(folder, 'buckets') });
    s3 = fixture.service.s3Endpoint!;
  });
  afterAll(async () => {
    await fixture?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('takes a bucket and a file from the AWS CLI, and gives the same bytes back', async () => {
    expect(s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await aws('s3api', 'create-bucket', '--bucket', 'firmware', '--endpoint-url', s3)).code).toBe(0);
    const file = join(folder, 'fw-3.1.bin');
    writeFileSync(file, firmware);
    const upload = await aws('s3', 'cp', file, 's3://firmware/fw-3.1.bin', '--endpoint-url', s3, '--only-show-errors');
    expect(upload).toMatchObject({ code: 0 });

    const listed = await aws('s3api', 'list-objects-v2', '--bucket', 'firmware', '--endpoint-url', s3);
    expect(listed.json.Contents).toEqual([expect.objectContaining({ Key: 'fw-3.1.bin', Size: firmware.length })]);
    const copy = join(folder, 'copy.bin');
    const download = await aws(
      's3',
      'cp',
      's3://firmware/fw-3.1.bin',
      copy,
      '--endpoint-url',
      s3,
      '--only-show-errors',
    );
    expect(download).toMatchObject({ code: 0 });
    expect(readFileSync(copy).equals(firmware)).toBe(true);
    // Kept in the folder asked for, so it outlives the runner.
    expect(existsSync(join(folder, 'buckets', 'firmware'))).toBe(true);
  });

  it('refuses a missing object as S3 does', async () => {
    const missing = await aws('s3api', 'head-object', '--bucket', 'firmware', '--key', 'nope', '--endpoint-url', s3);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/404|Not Found/);
  });

  it("refuses, as the runner's other ports do, a foreign Host and a write a page of another origin sent", async () => {
    const port = new URL(s3).port;
    // A name pointed at 127.0.0.1 by someone else (DNS rebinding) is not this machine's: node's http sends its Host.
    const foreignHost = await new Promise<number>((resolve, reject) =>
      request(
        { host: '127.0.0.1', port, path: '/firmware/fw-3.1.bin', headers: { host: `evil.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end(),
    );
    expect(foreignHost).toBe(421);
    const planted = await fetch(`${s3}/firmware/planted.bin`, {
      method: 'PUT',
      headers: { origin: 'https://evil.example' },
      body: 'not firmware',
    });
    expect(planted.status).toBe(403);
    const listed = await aws('s3api', 'list-objects-v2', '--bucket', 'firmware', '--endpoint-url', s3);
    expect(listed.json.Contents.map((o: { Key: string }) => o.Key)).toEqual(['fw-3.1.bin']);
  });

  it('stops with the runner, its folder kept', async () => {
    await fixture.stop();
    await expect(fetch(`${s3}/firmware/fw-3.1.bin`)).rejects.toThrow();
    expect(existsSync(join(folder, 'buckets', 'firmware'))).toBe(true);
  });
});
