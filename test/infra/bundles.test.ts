import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { presignsDocumentUrls, readsDocumentSources } from '../../lambdas/api/route-families/document-access';
import { functionIdOf, ROUTES } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { runsAtLoad } from '../support/load-coverage';
import { synthStacks } from '../support/synth';

/**
 * Each test loads every bundle, one per route: a second or two quiet, one to two and a half seconds each at a load
 * average of 12 to 14 on two cores (71 bundles took 107 s alone, past 180 s beside the API tests). So the limit grows
 * with the routes: four seconds a bundle.
 */
const BUNDLE_LOADING_MS = 4_000 * (ROUTES.length + 5);

/**
 * Operations that take no input at all: nothing for a parser to refuse, so they reach the store, which is a closed
 * port here, and answer as AWS does when it cannot be reached.
 */
const TAKES_NO_INPUT = new Set(['GetIndexingConfiguration']);

/** A string only S3's SDK holds (its service's name in every S3 operation's schema), kept by minification. */
const S3_SDK_MARKER = '"AmazonS3"';

/** What Lambda will run: each function's esbuild bundle, made offline by synth, loads and exports a handler. */
describe('Lambda bundles', () => {
  const { app, apiTemplate } = synthStacks({ bundle: true });
  const assembly = app.synth();
  const bundles = readdirSync(assembly.directory)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(assembly.directory, name, 'index.mjs'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());

  it('makes one bundle per route, one each for the timeout sweeper, the counts aggregator, the job worker and the membership reactor, and one the two catch-all routes share', () => {
    expect(bundles).toHaveLength(ROUTES.length + 4 + 1);
  });

  const functions = Object.entries(apiTemplate.findResources('AWS::Lambda::Function'));
  /** The bundle of a route's own function. */
  const bundleOf = (route: (typeof ROUTES)[number]): string => {
    const [, fn] = functions.find(
      ([id]) => id.startsWith(functionIdOf(route)) && id.length === functionIdOf(route).length + 8,
    )!;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    return join(assembly.directory, `asset.${hash}`, 'index.mjs');
  };

  it(
    "answers with AWS's error names, which minification must not rename",
    async () => {
      vi.stubEnv(ENVIRONMENT.tableName, 'never-reached');
      // Should a parser let a request through, it meets a closed local port, never AWS.
      vi.stubEnv(ENVIRONMENT.dynamoEndpoint, 'http://127.0.0.1:9');
      try {
        for (const route of ROUTES) {
          const { handler } = (await import(pathToFileURL(bundleOf(route)).href)) as {
            handler: (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string> }>;
          };
          // Names (and a page size) no route's parser accepts: every route refuses them before touching the table.
          const response = await handler({
            requestContext: { requestId: 'r' },
            pathParameters: { thingName: 'no such thing!', jobId: 'no such job!', executionNumber: '1' },
            queryStringParameters: { maxResults: '0', pageSize: '0' },
          });
          expect([route.operation, response.statusCode, response.headers['x-amzn-ErrorType']]).toEqual(
            TAKES_NO_INPUT.has(route.operation)
              ? [route.operation, 503, 'ServiceUnavailableException']
              : [route.operation, 400, 'InvalidRequestException'],
          );
        }
      } finally {
        vi.unstubAllEnvs();
      }
    },
    BUNDLE_LOADING_MS,
  );

  it("holds S3's SDK only where a route reads a documentSource or presigns, and there does not run it at load", () => {
    const needsS3 = (route: (typeof ROUTES)[number]) => readsDocumentSources(route) || presignsDocumentUrls(route);
    const holding = ROUTES.filter((route) => readFileSync(bundleOf(route), 'utf8').includes(S3_SDK_MARKER));
    expect(holding.map((route) => route.operation).sort()).toEqual(
      ROUTES.filter(needsS3)
        .map((route) => route.operation)
        .sort(),
    );
    // The background functions (sweeper, worker, stream consumers) and the catch-all hold none either.
    const withS3 = bundles.filter((file) => readFileSync(file, 'utf8').includes(S3_SDK_MARKER));
    expect(withS3.sort()).toEqual([...new Set(ROUTES.filter(needsS3).map(bundleOf))].sort());
    // Loaded lazily (import() in an ESM bundle without splitting: in the file, wrapped, evaluated on first use).
    const describeExecution = ROUTES.find((route) => route.operation === 'DescribeJobExecution')!;
    expect(runsAtLoad(bundleOf(describeExecution), S3_SDK_MARKER)).toBe(0);
    // The check can fail: the marker's code runs when the SDK is evaluated at load (as every bundle did before).
    expect(runsAtLoad(createRequire(import.meta.url).resolve('@aws-sdk/client-s3'), S3_SDK_MARKER)).toBe(1);
  });

  it(
    'loads every bundle as an ES module exporting handler',
    async () => {
      for (const file of bundles) {
        const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
        expect(typeof module.handler).toBe('function');
      }
    },
    BUNDLE_LOADING_MS,
  );
});
