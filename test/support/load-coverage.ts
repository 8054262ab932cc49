import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

/**
 * How many times the code around `marker` (its first occurrence in the file) ran while a fresh Node loaded the module
 * and nothing else: V8's block coverage (NODE_V8_COVERAGE) of that one import. Undefined: the file lacks the marker.
 */
export function runsAtLoad(file: string, marker: string): number | undefined {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const url = pathToFileURL(file).href;
  const dir = mkdtempSync(join(tmpdir(), 'load-coverage-'));
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], {
      env: { ...process.env, NODE_V8_COVERAGE: dir },
    });
    const scripts = readdirSync(dir).flatMap(
      (name) =>
        (
          JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
            result: { url: string; functions: { ranges: CoverageRange[] }[] }[];
          }
        ).result,
    );
    const ranges = scripts.find((script) => script.url === url)!.functions.flatMap((fn) => fn.ranges);
    // The innermost range holding the marker: its count is how often that code ran.
    const around = ranges
      .filter((range) => range.startOffset <= at && at < range.endOffset)
      .sort((a, b) => a.endOffset - a.startOffset - (b.endOffset - b.startOffset))[0];
    return around?.count ?? 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
