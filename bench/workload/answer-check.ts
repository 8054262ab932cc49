/** A wrong answer: counted as an error under this name, so a fast but wrong run cannot look good. */
export class WrongAnswer extends Error {
  override name = 'WrongAnswer';
}

export function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new WrongAnswer(what);
}

/** One device request for one thing, on one job, its answer checked. */
export type Operation = (thingName: string, jobId: string) => Promise<void>;
