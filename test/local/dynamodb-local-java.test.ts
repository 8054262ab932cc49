import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbLocalLaunch } from '../../local/dynamodb/dynamodb-local-java';
import { zipEntry } from '../../local/dynamodb/zip-file';

let cacheRoot: string;
beforeEach(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), 'java-cache-'));
});
afterEach(() => rm(cacheRoot, { recursive: true, force: true }));

const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const classPath = (args: string[]) => args[args.indexOf('-cp') + 1]!.split(delimiter);

describe('how DynamoDB Local is launched', () => {
  it('the first start runs a copy of the jar without its manifest, by its main class, and writes an archive as it exits', async () => {
    const launch = await dynamoDbLocalLaunch({ cacheRoot });
    expect(launch.writesArchive).toBe(true);
    expect(flag(launch.args, '-XX:ArchiveClassesAtExit')).toMatch(/\.jsa\.tmp$/);
    expect(launch.args.at(-1)).toBe('software.amazon.dynamodb.services.local.main.ServerRunner');
    const [copy, ...libraries] = classPath(launch.args);
    expect(copy!.startsWith(cacheRoot)).toBe(true);
    expect(zipEntry(readFileSync(copy!), 'META-INF/MANIFEST.MF')).toBeUndefined();
    // Only jars: the manifest's "." and native libraries would make the JVM refuse the archive.
    expect(libraries.length).toBeGreaterThan(50);
    expect(libraries.every((entry) => entry.endsWith('.jar'))).toBe(true);
  });

  it('a later start maps the archive a clean exit left', async () => {
    const first = await dynamoDbLocalLaunch({ cacheRoot });
    await writeFile(flag(first.args, '-XX:ArchiveClassesAtExit')!, 'archive');
    await first.exited(true);
    const later = await dynamoDbLocalLaunch({ cacheRoot });
    expect(later.writesArchive).toBe(false);
    expect(readFileSync(flag(later.args, '-XX:SharedArchiveFile')!, 'utf8')).toBe('archive');
  });

  it('an archive left by a JVM killed outright is thrown away, and the next start writes one again', async () => {
    const first = await dynamoDbLocalLaunch({ cacheRoot });
    await writeFile(flag(first.args, '-XX:ArchiveClassesAtExit')!, 'half an archive');
    await first.exited(false);
    const [dir] = await readdir(cacheRoot);
    expect((await readdir(join(cacheRoot, dir!))).filter((f) => f.endsWith('.jsa') || f.endsWith('.tmp'))).toEqual([]);
    expect((await dynamoDbLocalLaunch({ cacheRoot })).writesArchive).toBe(true);
  });
});
