import { mkdir } from 'node:fs/promises';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from './dynamodb-local';

/**
 * Where the local service keeps its data: a DynamoDB it was pointed at, or a
 * DynamoDB Local of its own, in memory or on a data directory it holds the
 * lock of. A module of its own, light to load, so `npm start` can set the JVM
 * booting before it loads the rest of the service.
 */
export interface LocalStore {
  endpoint: string;
  /** The DynamoDB Local this store started, if it started one. */
  embedded?: EmbeddedDynamoDb;
  /** The data directory's lock, when the embedded DynamoDB Local keeps its data on disk. */
  lock?: DataDirLock;
  /** Stops the embedded DynamoDB Local, then gives the data directory up. */
  close(): Promise<void>;
}

export const DEFAULT_TABLE_NAME = 'iot-jobs';

export interface LocalStoreOptions {
  /** Use this DynamoDB (e.g. an already running DynamoDB Local) instead of starting one. */
  dynamoEndpoint?: string;
  dataDir?: string;
  inMemory?: boolean;
  tableName: string;
}

export async function startLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  if (options.dynamoEndpoint) return { endpoint: options.dynamoEndpoint, close: async () => {} };
  const dataDir = options.inMemory ? undefined : options.dataDir;
  // One runner per data directory: two DynamoDB Local processes must never open the same files.
  let lock: DataDirLock | undefined;
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDataDir(dataDir);
  }
  let embedded: EmbeddedDynamoDb | undefined;
  try {
    embedded = await startEmbeddedDynamoDb(dataDir ? { dataDir } : {});
    await lock?.recordStore({
      ...(embedded.pid !== undefined ? { pid: embedded.pid } : {}),
      endpoint: embedded.endpoint,
      tableName: options.tableName,
    });
  } catch (error) {
    await embedded?.stop();
    await lock?.release();
    throw error;
  }
  const started = embedded;
  return {
    endpoint: started.endpoint,
    embedded: started,
    ...(lock ? { lock } : {}),
    close: async () => {
      await started.stop();
      await lock?.release();
    },
  };
}
