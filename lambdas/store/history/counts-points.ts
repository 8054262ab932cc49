import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CountsHistoryStore, CountsPoint } from '../../jobs/history/counts-history';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { TableAccess } from '../table/table-access';
import type { Item, PutParams, QueryParams } from '../table/table-params';

const DAY_SECONDS = 86_400;

/**
 * The put of one counts point, kept `retentionDays` (the table's TTL). It
 * replaces a point of the same second only with a later revision: two
 * batches counting one job write their points in either order, and the
 * counts that stand are the later ones.
 */
export function countsPointPut(point: CountsPoint, retentionDays: number): PutParams {
  return {
    Item: {
      ...keys.countsPoint(point),
      ...point,
      expiresAt: Math.floor(point.at / 1000) + retentionDays * DAY_SECONDS,
    },
    // No point of that second yet, or one of an earlier revision.
    ConditionExpression: 'attribute_not_exists(pk) OR countsRevision < :revision',
    ExpressionAttributeValues: { ':revision': point.countsRevision },
  };
}

/** A job incarnation's points, newest first: one consistent Query beside the job item. */
export function countsPointsQuery(jobId: string, jobIncarnation: string): QueryParams {
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :points)',
    ExpressionAttributeValues: { ':pk': keys.job(jobId).pk, ':points': keys.countsPointsOf(jobIncarnation) },
    ScanIndexForward: false,
    ConsistentRead: true,
  };
}

/** The keys of a job incarnation's points, for its deletion. */
export const countsPointKeysQuery = (jobId: string, jobIncarnation: string): QueryParams => ({
  ...countsPointsQuery(jobId, jobIncarnation),
  ProjectionExpression: 'pk, sk',
});

const pageKeyOf = (jobId: string): PageKeyShape => ({
  attributes: ['pk', 'sk'],
  fixed: () => ({ pk: keys.job(jobId).pk }),
});

function fromPointItem(item: Item): CountsPoint {
  return {
    jobId: item.jobId as string,
    jobIncarnation: item.jobIncarnation as string,
    at: item.at as number,
    countsRevision: item.countsRevision as number,
    counts: item.counts as CountsPoint['counts'],
  };
}

export class DynamoCountsHistoryStore implements CountsHistoryStore {
  private readonly access: TableAccess;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly retentionDays: number,
  ) {
    this.access = new TableAccess(db, tableName);
  }

  async recordPoints(points: readonly CountsPoint[]): Promise<void> {
    // A refused put is a later revision already there: nothing to do.
    await Promise.all(points.map((point) => this.access.put(countsPointPut(point, this.retentionDays))));
  }

  async listPoints(jobId: string, jobIncarnation: string, page: PageQuery): Promise<Page<CountsPoint>> {
    const result = await this.access.queryPage(
      `counts/${jobId}/${jobIncarnation}`,
      page,
      countsPointsQuery(jobId, jobIncarnation),
      pageKeyOf(jobId),
    );
    return { items: result.items.map(fromPointItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }
}
