import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { RuntimeConfig } from '../../lambdas/environment-config';
import { loadS3Sdk } from '../../lambdas/s3/load-s3-sdk';
import { refusalOf } from '../http/own-origin';
import { closeServer, listenOn } from '../http/service-ports';

/**
 * The access key the local S3 knows, beside s3rver's own `S3RVER`: the one the docs export for the AWS CLI (the
 * runner checks no credentials elsewhere, and s3rver checks only that the key is one it knows, not the signature).
 */
export const LOCAL_S3_ACCESS_KEY = 'local';

export interface LocalS3Options {
  /** 0: any free port. */
  port: number;
  host: string;
  /** Where buckets and objects are kept; omitted: a temporary folder, removed when the S3 stops. */
  dir?: string | undefined;
}

export interface LocalS3 {
  /** http://host:port, for `--endpoint-url` and the service's S3 client (path-style). */
  endpoint: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * s3rver knows the access keys of its one account by this registry (a module of the package with no types; the version
 * is pinned by package-lock): the runner adds the key the docs export, so `aws s3` works with it unchanged.
 */
const s3rverAccounts = createRequire(import.meta.url)('s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};
let keyAdded = false;

/**
 * An S3-compatible endpoint on a folder (s3rver): buckets, objects, and presigned GETs whose expiry it enforces, on its
 * own port, with a taken port named as the runner's others are.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'iot-jobs-s3-'));
  mkdirSync(dir, { recursive: true });
  if (!keyAdded) {
    s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(LOCAL_S3_ACCESS_KEY, LOCAL_S3_ACCESS_KEY);
    keyAdded = true;
  }
  const s3 = new S3rver({ directory: dir, silent: true, configureBuckets: [] });
  const serveS3 = s3.callback();
  // As on the runner's other ports: only requests addressed to this machine, and none a page of another origin sent
  // (s3rver checks no signature, so a page could otherwise write objects through the user's browser).
  const own = { scheme: 'http' as const, listenHost: options.host };
  const server: Server = createServer((req, res) => {
    const refused = refusalOf(req.headers, req.socket.localPort ?? 0, own);
    if (!refused) return serveS3(req, res);
    res.writeHead(refused.statusCode ?? 403, refused.headers as Record<string, string>);
    res.end(refused.body ?? '');
  });
  const removeDir = () => {
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await listenOn(server, { name: 's3', port: options.port }, options.host);
  } catch (error) {
    removeDir();
    throw error;
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    endpoint: `http://${host}:${port}`,
    dir,
    close: async () => {
      await closeServer(server);
      removeDir();
    },
  };
}

/**
 * What the runner's services are told of S3: this local S3 for every bucket, with S3's SDK (one set of services serves
 * every route, so it is given once, and loaded at the first read or presign); without a local S3, documentSource is
 * refused.
 */
export function localS3Settings(
  localS3: LocalS3 | undefined,
): Pick<RuntimeConfig, 's3Endpoint' | 'localWithoutS3' | 's3Sdk'> {
  return localS3 ? { s3Endpoint: localS3.endpoint, s3Sdk: loadS3Sdk } : { localWithoutS3: true, s3Sdk: loadS3Sdk };
}
