import { InvalidRequestException } from '../../jobs/shared/errors';

/**
 * nextToken: where a list stopped, as opaque text. It names the list it
 * belongs to, and its start key must have the shape of that list's keys, in
 * that list's partition: a token from another list, or a forged one, is
 * refused with InvalidRequestException instead of reaching DynamoDB as a bad
 * start key (or a start key into someone else's partition).
 */
interface TokenBody {
  /** The list: operation and filters. */
  list: string;
  /** DynamoDB's LastEvaluatedKey. */
  key: Record<string, unknown>;
  /** For lists read across index shards: the shard the key belongs to. */
  shard?: number;
}

/** What a start key of one list looks like. */
export interface PageKeyShape {
  /** Exactly the key attributes of the table and the index the list reads, all text. */
  attributes: readonly string[];
  /** The values some of them must have: the list's own partition (per shard, for a list read across shards). */
  fixed: (shard: number) => Record<string, string>;
  /** For a list read across index shards: how many there are. */
  shardCount?: number;
}

export function encodePageToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * A start key of this shape: exactly its attributes, as text, with the fixed values. An empty key starts a shard (lists
 * read across shards only).
 */
function fits(key: unknown, shape: PageKeyShape, shard: number): key is Record<string, string> {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const entries = Object.entries(key);
  if (entries.length === 0) return shape.shardCount !== undefined;
  const fixed = shape.fixed(shard);
  return (
    entries.length === shape.attributes.length &&
    entries.every(
      ([name, value]) =>
        shape.attributes.includes(name) &&
        typeof value === 'string' &&
        (fixed[name] === undefined || fixed[name] === value),
    )
  );
}

export function decodePageToken(
  token: string,
  list: string,
  shape: PageKeyShape,
): { key: Record<string, string>; shard: number } {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  const candidate = body as Partial<TokenBody> | undefined;
  const shard = candidate?.shard ?? 0;
  const shardFits =
    shape.shardCount === undefined
      ? candidate?.shard === undefined
      : Number.isInteger(shard) && shard >= 0 && shard < shape.shardCount;
  if (candidate?.list !== list || !shardFits || !fits(candidate.key, shape, shard)) {
    throw new InvalidRequestException('nextToken: is not a token this list issued; start again without one');
  }
  return { key: candidate.key, shard };
}
