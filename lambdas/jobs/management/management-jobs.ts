import { managedTemplateOfArn } from '../documents/managed-job-templates';
import { checkPresignedPlaceholders } from '../documents/presigned-urls';
import { settleExpired } from '../execution/expiry';
import { executionNotFound } from '../execution/not-found';
import type { ExecutionStore } from '../execution/store';
import { newJobWork } from '../fleet/fan-out';
import { resolveTargets, type TargetRules } from '../fleet/target-resolution';
import { checkSchedule } from '../rollout/schedule';
import { operatorActor } from '../shared/actor';
import type { ArnContext } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  InvalidRequestException,
  InvalidStateTransitionException,
  ResourceAlreadyExistsException,
} from '../shared/errors';
import type { JobDocumentSource, JobRef } from '../shared/ports';
import type { JobWorkRunner } from '../work/job-work';
import { associateTargets } from './associate-targets';
import { cancelRefusal, deleteRefusal } from './execution-refusals';
import type {
  AssociateTargetsInput,
  CancelExecutionInput,
  CancelJobInput,
  DeleteExecutionInput,
  DeleteJobInput,
  UpdateJobInput,
} from './inputs';
import { type CreateJobInput, isContinuous, type JobRecord, newJob } from './job';
import { fromManagedTemplate, fromTemplate, TEMPLATE_CONFIGS } from './job-template';
import type { JobTemplates } from './job-templates';
import { jobNotFound, ManagementQueries } from './management-queries';
import type { ExecutionAdminStore, JobStore } from './store';
import { updateJob } from './update-job';

export interface CreateJobResult {
  jobArn: string;
  jobId: string;
  description?: string;
}

/** The jobs part of the management API (iot). */
export class ManagementJobs extends ManagementQueries {
  constructor(
    jobs: JobStore,
    executions: ExecutionAdminStore & Pick<ExecutionStore, 'get' | 'timeOut'>,
    documents: JobDocumentSource,
    arnContext: ArnContext,
    clock: Clock,
    private readonly newIncarnation: () => string,
    private readonly targetRules: TargetRules,
    work: JobWorkRunner,
    private readonly templates: Pick<JobTemplates, 'templateOfArn'>,
  ) {
    super(jobs, executions, documents, arnContext, clock, work);
  }

  async createJob(request: CreateJobInput): Promise<CreateJobResult> {
    const input =
      request.jobTemplateArn !== undefined ? await this.fromTemplateArn(request, request.jobTemplateArn) : request;
    if (input.schedulingConfig) checkSchedule(input.schedulingConfig, this.clock());
    checkPresignedPlaceholders(input.document, input.presignedUrlConfig);
    const sources = await resolveTargets(input, this.targetRules, this.arnContext);
    const job = newJob(input, this.arnContext, this.newIncarnation(), this.clock());
    const created = await this.jobs.createJob(job, newJobWork(job, sources, !this.targetRules.implicitThings));
    if (created.applied) {
      await this.startWork(job.jobId, job);
      return jobIdentity(job);
    }
    const existing = created.current;
    // The same CreateJob again while its fan-out runs (a client that gave up waiting): the job it created, its fan-out
    // carried on.
    if (!existing || existing.executionsCreated || !isSameJob(existing, job)) {
      throw new ResourceAlreadyExistsException(`Job ${job.jobId} already exists`, job.jobId, job.jobArn);
    }
    await this.startWork(existing.jobId, existing);
    return jobIdentity(existing);
  }

  /** A job of an AWS managed template, or of one of this deployment's own (whose document takes no parameters). */
  private async fromTemplateArn(request: CreateJobInput, arn: string): Promise<CreateJobInput> {
    const managed = managedTemplateOfArn(this.arnContext, arn);
    if (managed) return fromManagedTemplate(request, managed);
    if (request.documentParameters !== undefined)
      throw new InvalidRequestException('documentParameters: only with the jobTemplateArn of an AWS managed template');
    return fromTemplate(request, await this.templates.templateOfArn(arn));
  }

  /**
   * The first part of a job's work done in the request itself, so a small
   * job is fanned out (or canceled) by the time it answers; the rest is the
   * queue's. A failure here is the queue's to retry: the job is written, and
   * its work record says where it stands.
   */
  private async startWork(jobId: string, fanOutOf?: JobRecord): Promise<void> {
    // A continuous job's fan-out writes each execution conditionally (transactions, not blind batches): half as many
    // things fit the same time.
    const budget = fanOutOf && isContinuous(fanOutOf) ? Math.ceil(this.work.inlineBudget / 2) : this.work.inlineBudget;
    try {
      await this.work.run(jobId, { budget });
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'warn',
          message: 'job work failed in the request; queued',
          jobId,
          error: String(error),
        }),
      );
      await this.work.request(jobId).catch(() => undefined);
    }
  }

  /** AWS's rules: see associate-targets.ts. */
  async associateTargets(input: AssociateTargetsInput): Promise<CreateJobResult> {
    const job = await this.requireJob(input.jobId);
    const associated = await associateTargets(job, input, {
      jobs: this.jobs,
      work: this.work,
      targetRules: this.targetRules,
      arnContext: this.arnContext,
      clock: this.clock,
    });
    if (associated) await this.startWork(job.jobId, job);
    return jobIdentity(job);
  }

  /** AWS's rules: see update-job.ts. */
  async updateJob(input: UpdateJobInput): Promise<object> {
    await updateJob(await this.requireJob(input.jobId), input, { jobs: this.jobs, work: this.work, clock: this.clock });
    return {};
  }

  async cancelJob(input: CancelJobInput): Promise<CreateJobResult> {
    const now = this.clock();
    const outcome = await this.jobs.cancelJob(input.jobId, {
      force: input.force,
      serial: this.newIncarnation(),
      now,
      by: operatorActor(input.origin ?? {}, { force: input.force }),
      ...(input.reasonCode !== undefined ? { reasonCode: input.reasonCode } : {}),
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
    });
    if (!outcome.applied) {
      if (!outcome.current) throw jobNotFound(input.jobId);
      throw new InvalidRequestException(`Job ${input.jobId} is ${outcome.current.status} and cannot be canceled`);
    }
    // The cascade walks every page of things the fan-out took on; canceling again is allowed: with force it reaches the
    // IN_PROGRESS executions a first cancel left running.
    await this.startWork(input.jobId);
    return jobIdentity(outcome.job);
  }

  /**
   * An abort criterion met: the job canceled as CancelJob without force
   * would, with the criterion's reason, only if still IN_PROGRESS (two
   * batches that both see the figures abort once). The cascade is the
   * queue's: the stream consumer that decides it stays short.
   */
  async abortJob(job: JobRef, reason: { reasonCode: string; comment: string }): Promise<boolean> {
    const outcome = await this.jobs.cancelJob(job.jobId, {
      force: false,
      serial: this.newIncarnation(),
      now: this.clock(),
      onlyUnfinished: true,
      incarnation: job.incarnation,
      by: { kind: 'abort' },
      ...reason,
    });
    if (!outcome.applied) return false;
    await this.work.request(job.jobId);
    return true;
  }

  async deleteJob(input: DeleteJobInput): Promise<object> {
    const outcome = await this.jobs.startJobDeletion(input.jobId, {
      force: input.force,
      serial: this.newIncarnation(),
      now: this.clock(),
    });
    if (!outcome.applied) {
      if (!outcome.current) throw jobNotFound(input.jobId);
      throw new InvalidStateTransitionException(
        `Job ${input.jobId} is ${outcome.current.status}: delete it with force=true, or cancel it first`,
      );
    }
    // DescribeJob shows DELETION_IN_PROGRESS until the cascade has deleted the last execution and the job with it.
    await this.startWork(input.jobId);
    return {};
  }

  async cancelExecution(input: CancelExecutionInput): Promise<object> {
    const now = this.clock();
    const outcome = await this.executions.cancelExecution({
      ...input,
      now,
      actor: operatorActor(input.origin ?? {}, { force: input.force }),
    });
    if (outcome.applied) return {};
    const current = outcome.current && (await settleExpired(this.executions, outcome.current, now));
    if (!current) throw executionNotFound(input.thingName, input.jobId);
    throw cancelRefusal(input, current);
  }

  async deleteExecution(input: DeleteExecutionInput): Promise<object> {
    const now = this.clock();
    const outcome = await this.executions.deleteExecution({ ...input, now });
    if (outcome.applied) return {};
    const current = outcome.current;
    if (!current) throw executionNotFound(input.thingName, input.jobId);
    throw deleteRefusal(input, current);
  }
}

/** What a CreateJob asked for, compared: a retry must ask for exactly the job that exists. */
const CONFIGS = [...TEMPLATE_CONFIGS, 'schedulingConfig'] as const;
const isSameJob = (a: JobRecord, b: JobRecord) =>
  a.document === b.document &&
  a.description === b.description &&
  CONFIGS.every((config) => JSON.stringify(a[config] ?? null) === JSON.stringify(b[config] ?? null)) &&
  [...a.targets].sort().join() === [...b.targets].sort().join();

const jobIdentity = (job: JobRecord): CreateJobResult => ({
  jobArn: job.jobArn,
  jobId: job.jobId,
  ...(job.description !== undefined ? { description: job.description } : {}),
});
