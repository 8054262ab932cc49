import { describe, expect, it } from 'vitest';
import type { S3SdkLoader } from '../../lambdas/s3/load-s3-sdk';
import type { SdkS3 } from '../../lambdas/s3/s3-sdk-services';
import { buildS3Services } from '../../lambdas/s3/s3-services';

const LOCATION = { bucket: 'firmware', key: 'fw.bin' };
const SIGNING = { roleArn: 'arn:aws:iam::123456789012:role/download', expiresInSec: 60, now: 0 };

/** An SDK module that counts its loads and its clients' closes, and fails the loads asked to. */
function countingSdk(failLoads = 0) {
  const counts = { loads: 0, destroyed: 0 };
  const s3: SdkS3 = {
    objects: { readText: () => Promise.resolve({ found: true, text: '{"op":"x"}' }) },
    presigner: { presignGet: (location) => Promise.resolve(`https://s3.example/${location.key}?signed`) },
    destroy: () => void counts.destroyed++,
  };
  const load = (() => {
    counts.loads++;
    if (counts.loads <= failLoads) return Promise.reject(new Error('load failed'));
    return Promise.resolve({ sdkS3: () => s3 });
  }) as unknown as S3SdkLoader;
  return { counts, load };
}

describe('S3 services, their SDK loaded on first use', () => {
  it('load nothing until the first read or presign, then load once however many calls wait for it', async () => {
    const { counts, load } = countingSdk();
    const s3 = buildS3Services({ region: 'us-east-1', s3Sdk: load });
    expect(counts.loads).toBe(0);
    const [url, again, read] = await Promise.all([
      s3.presigner.presignGet(LOCATION, SIGNING),
      s3.presigner.presignGet(LOCATION, SIGNING),
      s3.objects.readText(LOCATION, 100),
    ]);
    expect([url, again, read]).toEqual([
      'https://s3.example/fw.bin?signed',
      'https://s3.example/fw.bin?signed',
      { found: true, text: '{"op":"x"}' },
    ]);
    expect(counts.loads).toBe(1);
    s3.destroy();
    expect(counts.destroyed).toBe(1);
  });

  it('try a failed load again on the next call, rather than fail for the container’s life', async () => {
    const { counts, load } = countingSdk(1);
    const s3 = buildS3Services({ region: 'us-east-1', s3Sdk: load });
    await expect(s3.presigner.presignGet(LOCATION, SIGNING)).rejects.toThrow('load failed');
    await expect(s3.presigner.presignGet(LOCATION, SIGNING)).resolves.toBe('https://s3.example/fw.bin?signed');
    expect(counts.loads).toBe(2);
  });

  it('close nothing when never used', () => {
    const { counts, load } = countingSdk();
    buildS3Services({ region: 'us-east-1', s3Sdk: load }).destroy();
    expect(counts).toEqual({ loads: 0, destroyed: 0 });
  });

  it('fail a read or a presign, saying why, in a function whose route declares no S3', async () => {
    const s3 = buildS3Services({ region: 'us-east-1' });
    await expect(s3.presigner.presignGet(LOCATION, SIGNING)).rejects.toThrow('built without s3Sdk');
    await expect(s3.objects.readText(LOCATION, 100)).rejects.toThrow('built without s3Sdk');
  });

  it('refuse a documentSource on a local runner without its S3, loading nothing', async () => {
    const { counts, load } = countingSdk();
    const s3 = buildS3Services({ region: 'us-east-1', localWithoutS3: true, s3Sdk: load });
    await expect(s3.objects.readText(LOCATION, 100)).rejects.toThrow('this local runner serves no S3');
    expect(counts.loads).toBe(0);
  });
});
