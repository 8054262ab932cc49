import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RolloutState } from '../../jobs/rollout/release-rate';
import type { JobRef } from '../../jobs/shared/ports';
import type { FanOutCursor, JobWorkRecord, WorkWriteOutcome } from '../../jobs/work/job-work-record';
import type { JobWorkStore } from '../../jobs/work/job-work-store';
import { countsPointKeysQuery } from '../history/counts-points';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import type { RawOutcome, TransactParams } from '../table/table-params';
import { cascadeProgressParams, finishCancelParams, finishDeleteParams, pageDeletes } from './job-cascade-items';
import { fromWorkItem } from './job-work-item-mapping';
import {
  addPageParams,
  claimParams,
  confirmParams,
  finishFanOutParams,
  pagesQuery,
  parkParams,
  releaseParams,
  stalledQuery,
} from './job-work-items';

/**
 * Work records and their pages on the one table (see job-work-item-mapping.ts for the items and job-work-items.ts for
 * each request).
 */
export class DynamoJobWorkStore implements JobWorkStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async get(jobId: string): Promise<JobWorkRecord | undefined> {
    const item = await this.access.get(keys.jobWork(jobId));
    return item ? fromWorkItem(item) : undefined;
  }

  async claim(
    jobId: string,
    owner: string,
    leaseUntil: number,
    now: number,
    breakLease: boolean,
  ): Promise<WorkWriteOutcome> {
    const outcome = await this.access.update(claimParams(jobId, owner, leaseUntil, now, breakLease));
    if (outcome.applied) return { applied: true, work: fromWorkItem(outcome.item) };
    // No work left (or none at all) reads as no record: there is nothing to hold.
    return outcome.item?.registryList !== undefined
      ? { applied: false, work: fromWorkItem(outcome.item) }
      : { applied: false };
  }

  async addPage(
    work: JobWorkRecord,
    owner: string,
    things: string[],
    cursor: FanOutCursor,
    leaseUntil: number,
    confirmed: number,
    rollout?: RolloutState,
  ): Promise<WorkWriteOutcome> {
    const after = {
      ...work,
      pages: work.pages + 1,
      confirmed,
      cursor,
      targetCount: work.targetCount + things.length,
      leaseUntil,
      ...(rollout ? { rollout } : {}),
    };
    return await this.transact(
      work.jobId,
      addPageParams(work, owner, things, cursor, leaseUntil, confirmed, rollout),
      after,
    );
  }

  async confirmPages(work: JobWorkRecord, owner: string, leaseUntil: number): Promise<WorkWriteOutcome> {
    return this.outcome(await this.access.update(confirmParams(work, owner, leaseUntil)));
  }

  async finishFanOut(work: JobWorkRecord, owner: string): Promise<WorkWriteOutcome> {
    return await this.transact(work.jobId, finishFanOutParams(work, owner), {
      ...work,
      fanOutDone: true,
      confirmed: work.pages,
    });
  }

  async readPage(job: JobRef, page: number): Promise<string[]> {
    const item = await this.access.get(keys.targetPage(job, page), 'things');
    return (item?.things as string[] | undefined) ?? [];
  }

  async readAllPages(job: JobRef): Promise<string[]> {
    return (await this.access.queryAll(pagesQuery(job))).flatMap((item) => item.things as string[]);
  }

  async cascadeProgress(
    work: JobWorkRecord,
    owner: string,
    page: number,
    leaseUntil: number,
    joined?: { after?: string; done: boolean },
  ): Promise<WorkWriteOutcome> {
    return this.outcome(await this.access.update(cascadeProgressParams(work, owner, page, leaseUntil, joined)));
  }

  async finishCancel(work: JobWorkRecord, owner: string): Promise<WorkWriteOutcome> {
    const { cascade: _done, ...rest } = work;
    return await this.transact(work.jobId, finishCancelParams(work, owner), {
      ...rest,
      fanOutDone: true,
      confirmed: work.pages,
    });
  }

  async finishDelete(work: JobWorkRecord, owner: string): Promise<{ applied: boolean }> {
    // Only this owner reads the pages now: they go first, then the record and the job together.
    if (work.pages) await this.access.batchWrite(pageDeletes(work), 4);
    const outcome = await this.access.transactWrite(finishDeleteParams(work, owner));
    // Its counts over time go once the job item has: no batch counts a job that is gone, so none writes a point after
    // this.
    if (outcome.applied) {
      const points = await this.access.queryAll(countsPointKeysQuery(work.jobId, work.incarnation));
      if (points.length)
        await this.access.batchWrite(
          points.map((item) => ({ DeleteRequest: { Key: { pk: item.pk as string, sk: item.sk as string } } })),
          4,
        );
    }
    return outcome;
  }

  async release(jobId: string, owner: string, ifIdle: boolean): Promise<WorkWriteOutcome> {
    return this.outcome(await this.access.update(releaseParams(jobId, owner, ifIdle)));
  }

  async park(jobId: string, owner: string, releaseAt: number): Promise<WorkWriteOutcome> {
    return this.outcome(await this.access.update(parkParams(jobId, owner, releaseAt)));
  }

  async stalled(now: number, serviceNow: number): Promise<string[]> {
    return (await this.access.queryAll(stalledQuery(now, serviceNow))).map((item) => item.jobId as string);
  }

  private outcome(outcome: RawOutcome): WorkWriteOutcome {
    if (outcome.applied) return { applied: true, work: fromWorkItem(outcome.item) };
    return outcome.item ? { applied: false, work: fromWorkItem(outcome.item) } : { applied: false };
  }

  /**
   * A transaction about the record: applied, `after`; refused, the record as it stands (read again: a transaction
   * returns no item).
   */
  private async transact(jobId: string, items: TransactParams[], after: JobWorkRecord): Promise<WorkWriteOutcome> {
    const outcome = await this.access.transactWrite(items);
    if (outcome.applied) return { applied: true, work: after };
    const work = await this.get(jobId);
    return { applied: false, ...(work ? { work } : {}) };
  }
}
