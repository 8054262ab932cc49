import type { ArnContext } from '../shared/arns';
import { InvalidRequestException, ResourceNotFoundException } from '../shared/errors';
import type { PageQuery } from '../shared/ports';
import { MANAGED_JOB_TEMPLATES, type ManagedJobTemplate } from './managed-templates';

/**
 * ListManagedJobTemplates and DescribeManagedJobTemplate, and the managed template a CreateJob names by ARN. A managed
 * template's ARN names the region but no account (AWS: arn:aws:iot:REGION::jobtemplate/NAME:VERSION).
 */

export const managedTemplateArn = (ctx: ArnContext, template: ManagedJobTemplate): string =>
  `arn:${ctx.partition}:iot:${ctx.region}::jobtemplate/${template.templateName}:${template.templateVersion}`;

const summaryOf = (ctx: ArnContext, template: ManagedJobTemplate) => ({
  templateArn: managedTemplateArn(ctx, template),
  templateName: template.templateName,
  description: template.description,
  environments: template.environments,
  templateVersion: template.templateVersion,
});

/** The page after `nextToken`: the position of its first template, as base64url (the shape of every token we issue). */
const tokenOf = (position: number): string => Buffer.from(String(position)).toString('base64url');

function positionOf(nextToken: string | undefined, count: number): number {
  if (nextToken === undefined) return 0;
  const position = Number(Buffer.from(nextToken, 'base64url').toString());
  if (!Number.isInteger(position) || position <= 0 || position >= count)
    throw new InvalidRequestException('nextToken: not a token this operation gave');
  return position;
}

export function listManagedJobTemplates(ctx: ArnContext, query: PageQuery & { templateName?: string }) {
  // A name no template has lists nothing, as a filter would (not an error).
  const matching = MANAGED_JOB_TEMPLATES.filter(
    (template) => query.templateName === undefined || template.templateName === query.templateName,
  );
  const start = positionOf(query.nextToken, matching.length);
  const end = start + query.maxResults;
  return {
    managedJobTemplates: matching.slice(start, end).map((template) => summaryOf(ctx, template)),
    ...(end < matching.length ? { nextToken: tokenOf(end) } : {}),
  };
}

function requireManagedTemplate(templateName: string, templateVersion?: string): ManagedJobTemplate {
  const template = MANAGED_JOB_TEMPLATES.find(
    (candidate) =>
      candidate.templateName === templateName &&
      (templateVersion === undefined || candidate.templateVersion === templateVersion),
  );
  if (!template)
    throw new ResourceNotFoundException(
      `Managed job template ${templateName}${templateVersion === undefined ? '' : ` version ${templateVersion}`} does not exist`,
    );
  return template;
}

export function describeManagedJobTemplate(
  ctx: ArnContext,
  request: { templateName: string; templateVersion?: string },
) {
  const template = requireManagedTemplate(request.templateName, request.templateVersion);
  return {
    ...summaryOf(ctx, template),
    documentParameters: template.documentParameters,
    document: template.document,
  };
}

const MANAGED_ARN = /^arn:([a-z-]+):iot:([a-z0-9-]+)::jobtemplate\/([^:/]+)(?::([^:/]+))?$/;

/**
 * The managed template a jobTemplateArn names, with its canonical ARN (the version spelled out); undefined when the ARN
 * is not a managed template's (it may be one of this deployment's own templates). A managed ARN of another region or
 * partition, or of a template or version AWS does not publish, names nothing here.
 */
export function managedTemplateOfArn(
  ctx: ArnContext,
  arn: string,
): { template: ManagedJobTemplate; templateArn: string } | undefined {
  const match = MANAGED_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, name, version] = match as unknown as [string, string, string, string, string?];
  if (partition !== ctx.partition || region !== ctx.region)
    throw new ResourceNotFoundException(
      `Managed job template ${arn} is not in this deployment's region (arn:${ctx.partition}:iot:${ctx.region}::jobtemplate/...)`,
    );
  const template = requireManagedTemplate(name, version);
  return { template, templateArn: managedTemplateArn(ctx, template) };
}
