import { CronExpressionParser } from 'cron-parser';

/**
 * AWS's cron(minutes hours day-of-month month day-of-week year) of a
 * maintenance window, UTC: read once into cron-parser's five fields and the
 * year field's ranges, and walked occurrence by occurrence, jumping over the
 * years the year field leaves out (an every-minute window of a year to come
 * is a few steps away, not half a million).
 */
export interface AwsCron {
  /** The five fields cron-parser reads (day-of-week 0-6 from Sunday). */
  expression: string;
  /** The years it names, as inclusive ranges; absent: every year. */
  years?: readonly (readonly [number, number])[];
}

/** AWS's cron(...); throws an Error saying what is wrong. */
export function parseAwsCron(text: string): AwsCron {
  const body = /^cron\((.*)\)$/.exec(text.trim())?.[1];
  const fields = body?.trim().split(/\s+/);
  if (fields?.length !== 6) throw new Error('must be cron(minutes hours day-of-month month day-of-week year)');
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // AWS counts the days of the week 1-7 from Sunday, cron-parser 0-6.
  const weekday = dayOfWeek.replace(/(^|[,-])(\d+)/g, (_, before: string, n: string) => {
    if (Number(n) < 1 || Number(n) > 7) throw new Error('its day-of-week must be 1-7 (1 is Sunday) or SUN-SAT');
    return `${before}${Number(n) - 1}`;
  });
  const expression = [minutes, hours, dayOfMonth, month, weekday].join(' ');
  // Parsed once here so a bad field (or a day no month has, as February 31st) is refused when the job is created.
  CronExpressionParser.parse(expression, { tz: 'UTC' });
  if (year === '*') return { expression };
  const years = year.split(',').map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    if (!m) throw new Error('its year must be *, a year, a range of years, or a list of them');
    return [Number(m[1]), Number(m[2] ?? m[1])] as const;
  });
  return { expression, years };
}

const yearOf = (ms: number) => new Date(ms).getUTCFullYear();

/** The year nearest `year` in that direction (itself included) the cron names; undefined if none is left. */
function namedYear(cron: AwsCron, year: number, forward: boolean): number | undefined {
  if (!cron.years) return year;
  const candidates = cron.years.flatMap(([from, to]) =>
    forward ? (to >= year ? [Math.max(from, year)] : []) : from <= year ? [Math.min(to, year)] : [],
  );
  if (!candidates.length) return undefined;
  return forward ? Math.min(...candidates) : Math.max(...candidates);
}

/**
 * Up to `count` occurrences of the cron strictly after (`next`) or before (`prev`) `from`, in that order, none past
 * `bound` (ms; the far side of the search).
 */
export function cronOccurrences(
  cron: AwsCron,
  direction: 'prev' | 'next',
  from: number,
  count: number,
  bound: number = direction === 'next' ? Number.MAX_SAFE_INTEGER : 0,
): number[] {
  const forward = direction === 'next';
  const beyond = (ms: number) => (forward ? ms > bound : ms < bound);
  const found: number[] = [];
  let at = from;
  let iterator: ReturnType<typeof CronExpressionParser.parse> | undefined;
  while (found.length < count) {
    const year = namedYear(cron, yearOf(at), forward);
    if (year === undefined) break;
    if (year !== yearOf(at) || !iterator) {
      // Into the next year it names: from just before its first instant, or (going back) from just after its last.
      if (year !== yearOf(at)) at = forward ? Date.UTC(year, 0, 1) - 1 : Date.UTC(year + 1, 0, 1);
      if (beyond(at)) break;
      // Bounded, cron-parser itself looks no further than the search does.
      const limit = bound > 0 && bound < Number.MAX_SAFE_INTEGER ? { [forward ? 'endDate' : 'startDate']: bound } : {};
      iterator = CronExpressionParser.parse(cron.expression, { currentDate: new Date(at), tz: 'UTC', ...limit });
    }
    let ms: number;
    try {
      ms = (forward ? iterator.next() : iterator.prev()).getTime();
    } catch {
      // cron-parser found none within its own reach.
      break;
    }
    if (beyond(ms)) break;
    at = ms;
    if (namedYear(cron, yearOf(ms), forward) === yearOf(ms)) found.push(ms);
  }
  return found;
}
