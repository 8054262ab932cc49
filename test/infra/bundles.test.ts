import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';

/** What Lambda will run: each function's esbuild bundle, made offline by synth, loads and exports a handler. */
describe('Lambda bundles', () => {
  const { app } = synthStacks({ bundle: true });
  const assembly = app.synth();
  const bundles = readdirSync(assembly.directory)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(assembly.directory, name, 'index.mjs'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());

  it('makes one bundle per route, one for the timeout sweeper and one for the counts aggregator', () => {
    expect(bundles).toHaveLength(ROUTES.length + 2);
  });

  it('loads every bundle as an ES module exporting handler', async () => {
    for (const file of bundles) {
      const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    }
  });
});
