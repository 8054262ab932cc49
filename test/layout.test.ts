import { describe, expect, it } from 'vitest';
import { type ImportGraph, importGraph, type LayoutBreach, layoutBreaches } from './support/layout-rules';

/**
 * The layout README's Layout section draws, for every source folder (lambdas/, infra/, local/, bench/): one room per
 * concern, small files and folders, no import circle, and imports that flow one way (the service's code knows nothing
 * of how it is deployed, run locally or measured). A change that breaks it fails here, not in review.
 */
const graph: ImportGraph = importGraph();
const breaches: LayoutBreach[] = layoutBreaches(graph);
const of = (rule: LayoutBreach['rule']) => breaches.filter((b) => b.rule === rule).map((b) => b.detail);

describe('source layout', () => {
  it('reads every source folder', () => {
    const folders = new Set([...graph.keys()].map((file) => file.split('/')[0]));
    expect([...folders].sort()).toEqual(['bench', 'infra', 'lambdas', 'local']);
  });

  it('resolves every relative import to a source file', () => {
    expect(of('dangling import')).toEqual([]);
  });

  it('keeps each folder to about 12 files (route handlers aside)', () => {
    expect(of('folder size')).toEqual([]);
  });

  it('keeps each file to about 250 lines', () => {
    expect(of('file size')).toEqual([]);
  });

  it('has no import circle', () => {
    expect(of('import circle')).toEqual([]);
  });

  it('imports only what the rules allow, folder by folder and room by room', () => {
    expect(of('forbidden import')).toEqual([]);
  });
});

describe('the layout rules themselves', () => {
  const file = (local: string[] = [], lines = 10) => ({ local, packages: [], lines });
  const rulesOf = (graph: ImportGraph) => layoutBreaches(graph).map((b) => b.rule);

  it('pass a small tree whose imports flow one way', () => {
    const graph: ImportGraph = new Map([
      ['lambdas/jobs/rule.ts', file()],
      ['local/cli/start.ts', file(['local/local-service.ts'])],
      ['local/local-service.ts', file(['lambdas/jobs/rule.ts'])],
    ]);
    expect(layoutBreaches(graph)).toEqual([]);
  });

  it.each([
    ['folder size', new Map(Array.from({ length: 13 }, (_, i) => [`local/stream/part-${i}.ts`, file()]))],
    ['file size', new Map([['bench/cli.ts', file([], 251)]])],
    ['dangling import', new Map([['infra/app.ts', file(['infra/gone.ts'])]])],
    [
      'import circle',
      new Map([
        ['local/http/a.ts', file(['local/http/b.ts'])],
        ['local/http/b.ts', file(['local/http/a.ts'])],
      ]),
    ],
    [
      'forbidden import',
      new Map([
        ['lambdas/store/jobs.ts', file(['local/free-port.ts'])],
        ['local/free-port.ts', file()],
      ]),
    ],
    [
      'forbidden import',
      new Map([
        ['local/dynamodb/tables.ts', file(['local/local-service.ts'])],
        ['local/local-service.ts', file()],
      ]),
    ],
    [
      'forbidden import',
      new Map([
        ['infra/constructs/worker.ts', file(['infra/jobs-api-stack.ts'])],
        ['infra/jobs-api-stack.ts', file()],
      ]),
    ],
  ] as [LayoutBreach['rule'], ImportGraph][])('catch a %s', (rule, graph) => {
    expect(rulesOf(graph)).toEqual([rule]);
  });
});
