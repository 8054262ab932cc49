import { type ParseArgsConfig, parseArgs } from 'node:util';

/*
 * How every command of the project (npm start, npm run clock, recount, history, dashboard,
 * simulate, bench) answers its command line, so that they all answer alike: --help prints the usage on stdout and
 * exits 0; a mistake (an unknown flag, a value missing or wrong) prints what was wrong on one line, then the usage,
 * on stderr, and exits 2. 2 is the usual exit code of a usage error, so a script tells it from a failure of the work
 * itself (1).
 */

/** Exit code of a command called wrongly. */
export const USAGE_ERROR_EXIT_CODE = 2;

/** Says what was wrong with the command line (its first line: the usage follows), then how to call it; exits 2. */
export function usageError(usage: string, message: string): never {
  console.error(`${message.split('\n')[0]}\n\n${usage}`);
  process.exit(USAGE_ERROR_EXIT_CODE);
}

/** The usage, asked for: the answer, so on stdout; exits 0. */
export function showUsage(usage: string): never {
  console.log(usage);
  process.exit(0);
}

/** What `read` makes of the command line; whatever it throws is a usage error. */
export function readCommandLine<T>(usage: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    usageError(usage, error instanceof Error ? error.message : String(error));
  }
}

/**
 * node:util's parseArgs, strict: an unknown flag, a missing value or an unexpected positional is a usage error, and
 * --help (declared as a boolean `help` option) shows the usage.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const parsed = readCommandLine(usage, () => parseArgs(config));
  if ((parsed.values as { help?: boolean }).help) showUsage(usage);
  return parsed;
}
