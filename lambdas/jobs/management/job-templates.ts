import { checkPresignedPlaceholders } from '../documents/presigned-urls';
import { checkWindowsOpen } from '../rollout/schedule';
import { type ArnContext, jobArn, jobTemplateArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import { ConflictException, InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { Page, PageQuery } from '../shared/ports';
import type { CreateJobTemplateInput, JobTemplateRecord } from './job-template';
import { TEMPLATE_CONFIGS, toJobTemplateSummary, toJobTemplateView } from './job-template';
import type { JobStore } from './store';

/** Where job templates are kept. */
export interface JobTemplateStore {
  /** Only if no template of that ID exists; refused, the one that does. */
  createTemplate(
    template: JobTemplateRecord,
  ): Promise<{ applied: true } | { applied: false; current?: JobTemplateRecord }>;
  getTemplate(templateId: string): Promise<JobTemplateRecord | undefined>;
  listTemplates(page: PageQuery): Promise<Page<JobTemplateRecord>>;
  /** False if there was none. */
  deleteTemplate(templateId: string): Promise<boolean>;
}

const notFound = (templateId: string) => new ResourceNotFoundException(`Job template ${templateId} does not exist`);

/**
 * The job template operations (CreateJobTemplate, DescribeJobTemplate, ListJobTemplates, DeleteJobTemplate), and the
 * templates CreateJob reads.
 */
export class JobTemplates {
  constructor(
    private readonly templates: JobTemplateStore,
    private readonly jobs: Pick<JobStore, 'getJob'>,
    private readonly arnContext: ArnContext,
    private readonly clock: Clock,
  ) {}

  async createJobTemplate(input: CreateJobTemplateInput) {
    const from = input.jobArn !== undefined ? await this.jobOfArn(input.jobArn) : undefined;
    // Where the document was read from: the request's S3 URL (read before this), or that of the job it is made from.
    const documentSource = input.documentSource ?? from?.documentSource;
    const template: JobTemplateRecord = {
      jobTemplateId: input.jobTemplateId,
      jobTemplateArn: jobTemplateArn(this.arnContext, input.jobTemplateId),
      description: input.description,
      // A template made from a job takes its document and configs; the request's own configs win.
      document: input.document ?? from!.document,
      ...(documentSource !== undefined ? { documentSource } : {}),
      createdAt: this.clock(),
      ...pick(from ?? {}),
      ...pick(input),
    };
    checkPresignedPlaceholders(template.document, template.presignedUrlConfig);
    // Its own windows or the job's: a job of it would wait forever for one that never opens.
    checkWindowsOpen(template.maintenanceWindows, template.createdAt, 'maintenanceWindows');
    const outcome = await this.templates.createTemplate(template);
    if (!outcome.applied) throw new ConflictException(`Job template ${input.jobTemplateId} already exists`);
    return { jobTemplateArn: template.jobTemplateArn, jobTemplateId: template.jobTemplateId };
  }

  async describeJobTemplate({ jobTemplateId }: { jobTemplateId: string }) {
    return toJobTemplateView(await this.requireTemplate(jobTemplateId));
  }

  async listJobTemplates(page: PageQuery) {
    const listed = await this.templates.listTemplates(page);
    return {
      jobTemplates: listed.items.map(toJobTemplateSummary),
      ...(listed.nextToken ? { nextToken: listed.nextToken } : {}),
    };
  }

  async deleteJobTemplate({ jobTemplateId }: { jobTemplateId: string }) {
    if (!(await this.templates.deleteTemplate(jobTemplateId))) throw notFound(jobTemplateId);
    return {};
  }

  /** The template a CreateJob names by ARN (this deployment's own). */
  async templateOfArn(arn: string): Promise<JobTemplateRecord> {
    const prefix = jobTemplateArn(this.arnContext, '');
    if (!arn.startsWith(prefix))
      throw new ResourceNotFoundException(`Job template ${arn} does not exist in this deployment (${prefix}...)`);
    return await this.requireTemplate(arn.slice(prefix.length));
  }

  private async requireTemplate(templateId: string): Promise<JobTemplateRecord> {
    const template = await this.templates.getTemplate(templateId);
    if (!template) throw notFound(templateId);
    return template;
  }

  private async jobOfArn(arn: string) {
    const prefix = jobArn(this.arnContext, '');
    if (!arn.startsWith(prefix))
      throw new InvalidRequestException(`jobArn: must be a job of this deployment (${prefix}JOB_ID)`);
    const job = await this.jobs.getJob(arn.slice(prefix.length));
    if (!job) throw new ResourceNotFoundException(`Job ${arn.slice(prefix.length)} does not exist`);
    return job;
  }
}

/** The configs a template keeps, from a job or a request (a job's windows are in its schedule). */
function pick(
  source: Partial<Pick<JobTemplateRecord, (typeof TEMPLATE_CONFIGS)[number] | 'maintenanceWindows'>> & {
    schedulingConfig?: { maintenanceWindows?: JobTemplateRecord['maintenanceWindows'] };
  },
) {
  const windows = source.maintenanceWindows ?? source.schedulingConfig?.maintenanceWindows;
  return {
    ...Object.fromEntries(
      TEMPLATE_CONFIGS.filter((config) => source[config] !== undefined).map((config) => [config, source[config]]),
    ),
    ...(windows?.length ? { maintenanceWindows: windows } : {}),
  } as Partial<Pick<JobTemplateRecord, (typeof TEMPLATE_CONFIGS)[number] | 'maintenanceWindows'>>;
}
