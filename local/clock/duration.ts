const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90s", "11m", "1.5h", "2d" or plain seconds ("600"), in seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's']! : NaN;
  if (!(seconds > 0)) throw new Error(`"${text}" is not a duration: use e.g. 90s, 11m, 2h, 1d, or seconds`);
  return seconds;
}
