import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataDir } from '../support/data-dir';
import { linksOf, readingOrder } from '../support/doc-blocks';
import { DocReader, readerEnv } from '../support/doc-reader';

/**
 * README and the docs pages, walked as a newcomer walks them: every shell
 * block, in the order of README's Contents table, top to bottom, on one
 * `npm start` (restarted only where a page asks for other flags) and one data
 * directory kept across pages, on the ports the docs name. What one page
 * leaves behind is there for the next, so each page must set up what it needs.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const pages = readingOrder(ROOT);
const dataDir = newDataDir('jobs-docs-');
const reader = new DocReader(ROOT, readerEnv(dataDir));

afterAll(async () => {
  await reader.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the docs', () => {
  it('are README and every page of its Contents, each linking only to files that exist', () => {
    expect(pages.map((page) => page.path)).toEqual([
      'README.md',
      'docs/local-runner.md',
      'docs/managing-jobs.md',
      'docs/fleets-and-groups.md',
      'docs/fleet-indexing.md',
      'docs/rollouts.md',
      'docs/timeouts.md',
      'docs/mqtt-and-events.md',
      'docs/ota.md',
      'docs/operations.md',
      'docs/deploy.md',
      'docs/api.md',
      'docs/decisions.md',
      'docs/benchmark.md',
      'docs/layout.md',
      'docs/data-model.md',
    ]);
    const broken = pages.flatMap((page) =>
      linksOf(page.path, readFileSync(join(ROOT, page.path), 'utf8')).filter(
        (target) => !existsSync(join(ROOT, target)),
      ),
    );
    expect(broken).toEqual([]);
  });

  it('start with a runner: the first block a reader meets is `npm start`', () => {
    expect(pages[0]!.blocks[0]).toMatchObject({ kind: 'runner', runnerArgs: [] });
  });
});

describe('every shell block, in reading order, on one runner', () => {
  beforeAll(() => {
    // A page that runs nothing still counts: it is read in its place.
    expect(pages.flatMap((page) => page.blocks).length).toBeGreaterThan(30);
  });

  it.each(pages.map((page) => [page.path, page] as const))(
    '%s',
    async (_path, page) => {
      await reader.readPage(page);
    },
    600_000,
  );

  it('left out only what needs an AWS account', () => {
    expect(reader.needAccount.every((command) => /^(aws |npm run dashboard )/.test(command))).toBe(true);
  });
});
