import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The project's root, where the source folders are. */
const ROOT = resolve(import.meta.dirname, '../..');
/** Every folder of source code; test/ is held to other habits (one file per behaviour). */
export const SOURCE_FOLDERS = ['lambdas', 'infra', 'local', 'bench'] as const;
/** What counts as a source file: code, and the dashboard's page files. */
const SOURCE_FILE = /\.(ts|js|json|css|html)$/;
/** Written by `npm run bench`, not by hand. */
const NOT_SOURCE = ['bench/results/'];
export const MAX_FILES_PER_FOLDER = 12;
export const MAX_LINES_PER_FILE = 250;
/** One file per route, by design. */
const FOLDERS_EXEMPT_FROM_SIZE = ['lambdas/api/handlers'];

/** A source file, by its path from the project's root: what it imports, and how long it is. */
export interface SourceFile {
  /** Relative imports, resolved to paths from the root. */
  local: string[];
  /** Packages, by name. */
  packages: string[];
  lines: number;
}
export type ImportGraph = Map<string, SourceFile>;

/**
 * Who may not import whom. `from` and `forbidden` are path prefixes from the root (`local/cli/` a folder,
 * `local/local-service` its files); `infra/*` stands for the files directly in infra/.
 */
interface ImportRule {
  from: string[];
  forbidden: string[];
  packages?: string[];
  why: string;
}

const IMPORT_RULES: ImportRule[] = [
  {
    from: ['lambdas/'],
    forbidden: ['infra/', 'local/', 'bench/', 'test/'],
    packages: ['aws-cdk-lib', 'constructs'],
    why: 'the service knows nothing of how it is deployed, run locally or measured',
  },
  { from: ['infra/'], forbidden: ['local/', 'bench/', 'test/'], why: 'the stacks deploy the service, nothing else' },
  { from: ['local/'], forbidden: ['infra/', 'bench/', 'test/'], why: 'the runner runs the service as Lambda would' },
  { from: ['bench/'], forbidden: ['infra/', 'test/'], why: 'the bench measures the service on the local runner' },
  {
    from: ['lambdas/jobs/'],
    forbidden: ['lambdas/api/', 'lambdas/store/', 'lambdas/runtime.ts', 'lambdas/environment.ts'],
    packages: ['@aws-sdk/', 'aws-lambda'],
    why: 'the rules know no transport and no database',
  },
  {
    from: ['lambdas/store/'],
    forbidden: ['lambdas/api/', 'lambdas/runtime.ts'],
    packages: ['aws-lambda'],
    why: 'the store knows no transport',
  },
  { from: ['lambdas/api/'], forbidden: ['lambdas/store/'], packages: ['@aws-sdk/'], why: 'api -> jobs <- store' },
  {
    from: ['infra/constructs/'],
    forbidden: ['infra/*'],
    why: 'the app and its stacks compose the constructs, never the reverse',
  },
  {
    from: [
      'local/clock/',
      'local/dynamodb/',
      'local/stream/',
      'local/http/',
      'local/mqtt/',
      'local/dashboard/',
      'local/s3/',
    ],
    forbidden: ['local/cli/', 'local/local-service'],
    why: "the commands and the runner's composition root sit on top of its parts",
  },
  {
    from: ['local/clock/', 'local/dynamodb/', 'local/stream/'],
    forbidden: ['local/http/', 'local/mqtt/', 'local/dashboard/', 'local/simulate/'],
    why: 'the clock, the store and the stream know no transport',
  },
  {
    from: ['bench/workload/', 'bench/floor/', 'bench/meters/', 'bench/fan-out/', 'bench/report/', 'bench/cost/'],
    forbidden: ['bench/cli.ts', 'bench/run-bench.ts'],
    why: 'the run composes the parts, never the reverse',
  },
  { from: ['bench/meters/'], forbidden: ['bench/report/'], why: 'the meters measure; the report reads them' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : SOURCE_FILE.test(name) ? [path] : [];
  });
}

const fromRoot = (path: string) => relative(ROOT, path).replaceAll('\\', '/');

/** Every module a file imports (type-only imports too): relative ones resolved to files, packages by name. */
function importsOf(file: string, text: string): { local: string[]; packages: string[] } {
  if (!/\.(ts|js)$/.test(file)) return { local: [], packages: [] };
  const specifiers = [...text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const local = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => fromRoot(resolve(dirname(file), /\.(ts|js|json)$/.test(s) ? s : `${s}.ts`)));
  return { local, packages: specifiers.filter((s) => !s.startsWith('.')) };
}

/** The source folders as they stand on disk. */
export function importGraph(): ImportGraph {
  const files = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))).filter(
    (file) => !NOT_SOURCE.some((prefix) => fromRoot(file).startsWith(prefix)),
  );
  return new Map(
    files.map((file) => {
      const text = readFileSync(file, 'utf8');
      return [fromRoot(file), { ...importsOf(file, text), lines: text.split('\n').length - 1 }];
    }),
  );
}

export interface LayoutBreach {
  rule: 'dangling import' | 'folder size' | 'file size' | 'import circle' | 'forbidden import';
  detail: string;
}

const folderOf = (file: string) => file.slice(0, Math.max(0, file.lastIndexOf('/')));
const matches = (file: string, prefix: string) =>
  prefix.endsWith('/*') ? folderOf(file) === prefix.slice(0, -2) : file.startsWith(prefix);

function circles(graph: ImportGraph): string[] {
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      found.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file)?.local ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

function forbiddenImports(graph: ImportGraph): string[] {
  return IMPORT_RULES.flatMap((rule) =>
    [...graph]
      .filter(([file]) => rule.from.some((prefix) => matches(file, prefix)))
      .flatMap(([file, { local, packages }]) => [
        ...local
          .filter((target) => rule.forbidden.some((prefix) => matches(target, prefix)))
          .map((target) => `${file} -> ${target} (${rule.why})`),
        ...packages
          .filter((name) => rule.packages?.some((prefix) => name.startsWith(prefix)))
          .map((name) => `${file} -> ${name} (${rule.why})`),
      ]),
  );
}

/** Everything in the graph that breaks the layout's rules; none on main. */
export function layoutBreaches(graph: ImportGraph): LayoutBreach[] {
  const files = new Map<string, number>();
  for (const file of graph.keys()) files.set(folderOf(file), (files.get(folderOf(file)) ?? 0) + 1);
  return [
    ...[...graph]
      .flatMap(([file, { local }]) =>
        local.filter((target) => !graph.has(target)).map((target) => `${file} -> ${target}`),
      )
      .map((detail) => ({ rule: 'dangling import' as const, detail })),
    ...[...files]
      .filter(([folder, n]) => n > MAX_FILES_PER_FOLDER && !FOLDERS_EXEMPT_FROM_SIZE.includes(folder))
      .map(([folder, n]) => ({ rule: 'folder size' as const, detail: `${folder}/ holds ${n} files` })),
    ...[...graph]
      .filter(([, { lines }]) => lines > MAX_LINES_PER_FILE)
      .map(([file, { lines }]) => ({ rule: 'file size' as const, detail: `${file} has ${lines} lines` })),
    ...circles(graph).map((detail) => ({ rule: 'import circle' as const, detail })),
    ...forbiddenImports(graph).map((detail) => ({ rule: 'forbidden import' as const, detail })),
  ];
}
