import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, slowest first (measured on two workers; each well over half a minute). A fresh clone
 * has no timings cached, and vitest then runs files in path order, which can leave one of these to start last and run
 * alone for minutes while the other worker idles; started first, they overlap the many short files instead.
 */
const SLOWEST_FIRST = [
  'test/wire/docs-commands.test.ts',
  'test/local/fan-out-crash.test.ts',
  'test/infra/bundles.test.ts',
  'test/store/timeout-sweep.test.ts',
  'test/local/crash-safety.test.ts',
  'test/local/simulate.test.ts',
  'test/infra/cdk-commands.test.ts',
  'test/local/cli-help.test.ts',
  'test/bench/bench-run.test.ts',
  'test/wire/certificates.test.ts',
  'test/local/recount-cli.test.ts',
  'test/store/job-counts.test.ts',
  'test/store/thing-group-delete-races.test.ts',
  'test/reliability/load-hold.test.ts',
];

const rankOf = (file: TestSpecification): number => {
  const rank = SLOWEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
  return rank === -1 ? SLOWEST_FIRST.length : rank;
};

/** vitest's own order (failed first, then by cached duration or size), with the known slowest files moved ahead. */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    return base
      .map((file, index) => ({ file, index }))
      .sort((a, b) => rankOf(a.file) - rankOf(b.file) || a.index - b.index)
      .map(({ file }) => file);
  }
}
