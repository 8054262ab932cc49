import { InvalidRequestException } from '../../jobs/shared/errors';

/**
 * nextToken: where a list stopped, as opaque text. It names the list it
 * belongs to, so a token from one list (or a made-up one) is refused with
 * InvalidRequestException instead of reaching DynamoDB as a bad start key.
 */
interface TokenBody {
  /** The list: operation and filters. */
  list: string;
  /** DynamoDB's LastEvaluatedKey. */
  key: Record<string, unknown>;
  /** For lists read across index shards: the shard the key belongs to. */
  shard?: number;
}

export function encodePageToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, list: string): Omit<TokenBody, 'list'> {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  const candidate = body as Partial<TokenBody> | undefined;
  const keyIsFlat =
    typeof candidate?.key === 'object' && candidate.key !== null && Object.values(candidate.key).every((v) => typeof v === 'string' || typeof v === 'number');
  if (candidate?.list !== list || !keyIsFlat || (candidate.shard !== undefined && !Number.isInteger(candidate.shard))) {
    throw new InvalidRequestException('nextToken: is not a token this list issued; start again without one');
  }
  return { key: candidate.key!, ...(candidate.shard !== undefined ? { shard: candidate.shard } : {}) };
}
