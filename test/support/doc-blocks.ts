import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The shell blocks of the README and the docs pages, in the order a reader
 * meets them: the README first, then each page of its Contents table, top to
 * bottom. A fenced block's info string says how a reader runs it:
 *
 * - `sh`: in the page's terminal (its variables carry on to the page's next
 *   block, as in a terminal); it must succeed. `npm start [-- flags]` alone is
 *   the runner the page needs.
 * - `sh background`: in a terminal of its own, left running (a listener).
 * - `sh aws`: against an AWS account, which a test has not got: see doc-reader.ts.
 * - `sh slow`: minutes of work the suite runs elsewhere at toy scale (the benchmark).
 *
 * `output="text"` says what the block prints. Blocks of other languages are not run.
 */
export type BlockKind = 'runner' | 'shell' | 'background' | 'aws' | 'slow';

export interface DocBlock {
  /** Where it is, as `docs/timeouts.md:42`. */
  at: string;
  kind: BlockKind;
  text: string;
  /** What its output must contain. */
  output?: string;
  /** `npm start`'s arguments, for a runner block. */
  runnerArgs?: string[];
}

export interface DocPage {
  path: string;
  blocks: DocBlock[];
}

const FENCE = /^ *```(.*)$/;
const RUNNER = /^npm start(?: -- (.+))?$/;

/** A block's non-empty lines that are not comments. */
export const commandLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

function blockOf(at: string, info: string, text: string): DocBlock | undefined {
  const [language, ...words] = info.trim().split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  if (language !== 'sh') return undefined;
  const flags = words.filter((word) => !word.includes('='));
  const output = words.find((word) => word.startsWith('output='))?.slice('output='.length);
  const unknown = flags.filter((flag) => !['background', 'aws', 'slow'].includes(flag));
  if (unknown.length) throw new Error(`${at}: unknown block flags ${unknown.join(', ')}`);
  const kind = (flags[0] as BlockKind | undefined) ?? 'shell';
  const lines = commandLines(text);
  const runner = kind === 'shell' && lines.length === 1 ? RUNNER.exec(lines[0]!) : null;
  return {
    at,
    kind: runner ? 'runner' : kind,
    text,
    ...(output ? { output: JSON.parse(output) as string } : {}),
    ...(runner ? { runnerArgs: runner[1]?.split(/\s+/) ?? [] } : {}),
  };
}

/** The shell blocks of one markdown file. */
export function blocksOf(path: string, markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !FENCE.test(lines[i]!)) body.push(lines[i]!.trimStart() === '' ? '' : lines[i]!);
    const block = blockOf(`${path}:${start + 1}`, open[1]!, body.join('\n'));
    if (block) blocks.push(block);
  }
  return blocks;
}

/** The pages README's Contents table links to, in its order. */
export function contentsOf(readme: string): string[] {
  const contents = /^## Contents\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  return [...contents.matchAll(/\]\((docs\/[^)#]+\.md)\)/g)].map((m) => m[1]!);
}

/** README.md and its pages, in reading order, with their shell blocks. */
export function readingOrder(root: string): DocPage[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const pages = ['README.md', ...contentsOf(readme)];
  return pages.map((path) => ({ path, blocks: blocksOf(path, readFileSync(join(root, path), 'utf8')) }));
}

/** Where the pages' relative links point: each must name a file that exists. */
export function linksOf(path: string, markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => join(dirname(path), target));
}
