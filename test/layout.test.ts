import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layout of lambdas/ as README's Layout section describes it: one room
 * per concern, data flowing one way (api -> jobs <- store), small files, and
 * no import circle. A change that breaks it fails here, not in review.
 */
const LAMBDAS = resolve(dirname(fileURLToPath(import.meta.url)), '../lambdas');
const MAX_FILES_PER_FOLDER = 12;
const MAX_LINES_PER_FILE = 250;
/** One file per route, by design. */
const FOLDERS_EXEMPT_FROM_SIZE = ['api/handlers'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sourceFiles(path)
      : name.endsWith('.ts') || name.endsWith('.json')
        ? [path]
        : [];
  });
}

const files = sourceFiles(LAMBDAS);
const rel = (path: string) => relative(LAMBDAS, path).replaceAll('\\', '/');

/** Every module a file imports (type-only imports too): relative ones resolved to files, packages by name. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const local = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => rel(resolve(dirname(file), s.endsWith('.ts') || s.endsWith('.json') ? s : `${s}.ts`)));
  return { local, packages: specifiers.filter((s) => !s.startsWith('.')) };
}

const graph = new Map(files.map((file) => [rel(file), importsOf(file)]));

describe('lambdas/ layout', () => {
  it('resolves every relative import to a file of lambdas/', () => {
    const known = new Set(graph.keys());
    const dangling = [...graph].flatMap(([file, { local }]) =>
      local.filter((target) => !known.has(target)).map((target) => `${file} -> ${target}`),
    );
    expect(dangling).toEqual([]);
  });

  it(`keeps each folder to ${MAX_FILES_PER_FOLDER} files (handlers aside)`, () => {
    const counts = new Map<string, number>();
    for (const file of graph.keys()) counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1);
    const crowded = [...counts].filter(
      ([folder, n]) => n > MAX_FILES_PER_FOLDER && !FOLDERS_EXEMPT_FROM_SIZE.includes(folder),
    );
    expect(crowded).toEqual([]);
  });

  it(`keeps each file to ${MAX_LINES_PER_FILE} lines`, () => {
    const long = files
      .map((file) => [rel(file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > MAX_LINES_PER_FILE);
    expect(long).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file)?.local ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  // Who may import whom: the rules know no transport and no database; the store knows no transport.
  it.each([
    ['jobs/', ['api/', 'store/', 'runtime.ts', 'environment.ts'], ['@aws-sdk/', 'aws-lambda']],
    ['store/', ['api/', 'runtime.ts'], ['aws-lambda']],
    ['api/', ['store/'], ['@aws-sdk/']],
  ])('%s imports none of %j, nor packages %j', (room, forbiddenRooms, forbiddenPackages) => {
    const breaches = [...graph]
      .filter(([file]) => file.startsWith(room))
      .flatMap(([file, { local, packages }]) => [
        ...local
          .filter((target) => forbiddenRooms.some((f) => target.startsWith(f)))
          .map((target) => `${file} -> ${target}`),
        ...packages.filter((p) => forbiddenPackages.some((f) => p.startsWith(f))).map((p) => `${file} -> ${p}`),
      ]);
    expect(breaches).toEqual([]);
  });
});
