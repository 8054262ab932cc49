/** Where the service's resources are named: the partition, region and account in every ARN it answers with. */
export interface ArnContext {
  partition: string;
  region: string;
  account: string;
}

export const jobArn = (ctx: ArnContext, jobId: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:job/${jobId}`;
export const jobTemplateArn = (ctx: ArnContext, templateId: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:jobtemplate/${templateId}`;
export const thingArn = (ctx: ArnContext, thingName: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:thing/${thingName}`;
export const thingTypeArn = (ctx: ArnContext, typeName: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:thingtype/${typeName}`;
export const certificateArn = (ctx: ArnContext, certificateId: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:cert/${certificateId}`;
export const caCertificateArn = (ctx: ArnContext, certificateId: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:cacert/${certificateId}`;
export const thingGroupArn = (ctx: ArnContext, groupName: string): string =>
  `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:thinggroup/${groupName}`;

/** The thing a thing ARN names (targets are checked to be thing ARNs when a job is created). */
export const thingNameOfArn = (arn: string): string => arn.slice(arn.indexOf(':thing/') + ':thing/'.length);

/** Whether a target ARN names a thing group (else it names a thing). */
/** The group a thing group ARN names. */
export const groupNameOfArn = (arn: string): string => arn.slice(arn.indexOf(':thinggroup/') + ':thinggroup/'.length);

export const isThingGroupArn = (arn: string): boolean => arn.includes(':thinggroup/');

/** Whether an ARN names a resource of this deployment: its partition, region and account. */
export function isInContext(ctx: ArnContext, arn: string): boolean {
  const [, partition, , region, account] = arn.split(':');
  return partition === ctx.partition && region === ctx.region && account === ctx.account;
}
