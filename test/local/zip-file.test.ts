import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoDbLocalJarDir } from '../../local/dynamodb/dynamodb-local-java';
import { manifestAttributes, zipEntry, zipWithout } from '../../local/dynamodb/zip-file';

const jar = readFileSync(join(dynamoDbLocalJarDir().jarDir, 'DynamoDBLocal.jar'));
const MANIFEST = 'META-INF/MANIFEST.MF';
const POM = 'META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties';

describe('zipEntry, on the DynamoDB Local jar', () => {
  it('reads a deflated entry', () => {
    expect(zipEntry(jar, MANIFEST)?.toString('utf8')).toMatch(/^Main-Class: software\.amazon\.dynamodb\./m);
  });

  it('answers undefined for a name the archive lacks', () => {
    expect(zipEntry(jar, 'no/such/entry')).toBeUndefined();
  });

  it('refuses what is not a ZIP file', () => {
    expect(() => zipEntry(Buffer.from('not a zip file at all, just text'), MANIFEST)).toThrow(/not a ZIP file/);
  });
});

describe('zipWithout', () => {
  const copy = zipWithout(jar, MANIFEST);

  it('drops the entry', () => {
    expect(zipEntry(copy, MANIFEST)).toBeUndefined();
  });

  it('keeps every other entry as it was', () => {
    expect(zipEntry(copy, POM)?.equals(zipEntry(jar, POM)!)).toBe(true);
    const classEntry = 'software/amazon/dynamodb/services/local/main/ServerRunner.class';
    expect(zipEntry(copy, classEntry)?.equals(zipEntry(jar, classEntry)!)).toBe(true);
  });

  it('is smaller by about the entry and nothing else', () => {
    const dropped = jar.length - copy.length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(zipEntry(jar, MANIFEST)!.length + 200);
  });
});

describe('manifestAttributes', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    [
      'one attribute a line',
      'Manifest-Version: 1.0\r\nMain-Class: a.B\r\n',
      { 'Manifest-Version': '1.0', 'Main-Class': 'a.B' },
    ],
    [
      'a continuation line joins the one before, its leading space dropped',
      'Class-Path: lib/a.jar li\r\n b/b.jar\r\n',
      { 'Class-Path': 'lib/a.jar lib/b.jar' },
    ],
    [
      'the main section ends at the first blank line',
      'Main-Class: a.B\n\nName: x\nMain-Class: c.D\n',
      { 'Main-Class': 'a.B' },
    ],
  ];
  it.each(cases)('%s', (_, manifest, expected) => {
    expect(Object.fromEntries(manifestAttributes(manifest))).toEqual(expected);
  });
});
