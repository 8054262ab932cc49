import { type ArnContext, certificateArn, isInContext } from '../shared/arns';
import { InvalidRequestException, LimitExceededException, ResourceNotFoundException } from '../shared/errors';
import { MAX_THINGS_PER_CERTIFICATE } from './certificate';
import type { Certificates } from './certificates';
import type * as inputs from './inputs';
import type { CertificateStore } from './store';

const CERT_ARN = /^arn:[^:]+:iot:[^:]+:\d{12}:cert\/([a-f0-9]{64})$/;

/**
 * Which certificates stand for which things (AttachThingPrincipal): a device is whoever its certificate is attached
 * to. Principals here are certificates of this deployment, named by ARN.
 */
export class ThingPrincipals {
  constructor(
    private readonly store: CertificateStore,
    private readonly certificates: Certificates,
    private readonly arns: ArnContext,
    private readonly clock: () => number,
  ) {}

  async attach(input: inputs.AttachInput): Promise<object> {
    const certificateId = this.certificateIdOf(input.principal);
    const outcome = await this.store.attach(input.thingName, certificateId, input.thingPrincipalType, this.clock());
    if (outcome.applied) return {};
    if (outcome.reason === 'thingMissing') throw this.thingNotFound(input.thingName);
    if (outcome.reason === 'certificateMissing') throw this.certificateNotFound(certificateId);
    if (outcome.reason === 'tooMany') {
      throw new LimitExceededException(
        `Certificate ${certificateId} is attached to ${MAX_THINGS_PER_CERTIFICATE} things already, the most it may be`,
      );
    }
    throw new InvalidRequestException(
      input.thingPrincipalType === 'EXCLUSIVE_THING'
        ? `Principal ${input.principal} is attached to another thing; it cannot be attached exclusively to ${input.thingName}`
        : `Principal ${input.principal} is attached exclusively to another thing`,
    );
  }

  async detach(input: inputs.ThingPrincipalInput): Promise<object> {
    const certificateId = this.certificateIdOf(input.principal);
    const certificate = await this.store.getCertificate(certificateId);
    if (!certificate) throw this.certificateNotFound(certificateId);
    if (!certificate.things.includes(input.thingName) && !(await this.store.thingExists(input.thingName)))
      throw this.thingNotFound(input.thingName);
    await this.store.detach(input.thingName, certificate);
    return {};
  }

  /**
   * DeleteThing's check, as AWS: a thing with certificates attached is not deleted (detach them first). An attachment
   * racing the delete may outlive the thing; ListPrincipalThings then still names it, and DetachThingPrincipal removes it.
   */
  async refuseWhileAttached(thingName: string): Promise<void> {
    if (await this.store.hasPrincipals(thingName))
      throw new InvalidRequestException(
        `Cannot delete. Thing ${thingName} is still attached to one or more principals`,
      );
  }

  async listThingPrincipals(input: inputs.ListThingPrincipalsInput) {
    const page = await this.principalPage(input);
    return {
      principals: page.items.map((item) => certificateArn(this.arns, item.certificateId)),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async listThingPrincipalsV2(input: inputs.ListThingPrincipalsInput) {
    const page = await this.principalPage(input);
    return {
      thingPrincipalObjects: page.items.map((item) => ({
        principal: certificateArn(this.arns, item.certificateId),
        thingPrincipalType: item.thingPrincipalType,
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async listPrincipalThings(input: inputs.ListPrincipalThingsInput) {
    const page = await this.thingPage(input);
    return { things: page.things.map((thing) => thing.thingName), ...page.next };
  }

  async listPrincipalThingsV2(input: inputs.ListPrincipalThingsInput) {
    const page = await this.thingPage(input);
    return { principalThingObjects: page.things, ...page.next };
  }

  private async principalPage(input: inputs.ListThingPrincipalsInput) {
    if (!(await this.store.thingExists(input.thingName))) throw this.thingNotFound(input.thingName);
    return this.store.principalsOf(input.thingName, input, input.thingPrincipalType);
  }

  /** The certificate item lists its things: one read, paged in name order. */
  private async thingPage(input: inputs.ListPrincipalThingsInput) {
    const certificate = await this.certificates.existing(this.certificateIdOf(input.principal));
    const after = input.nextToken === undefined ? undefined : afterOf(input.nextToken);
    const all = [...certificate.things]
      .sort()
      .filter((thing) => after === undefined || thing > after)
      .map((thingName) => ({
        thingName,
        thingPrincipalType: certificate.exclusiveThing === thingName ? 'EXCLUSIVE_THING' : 'NON_EXCLUSIVE_THING',
      }))
      .filter((thing) => !input.thingPrincipalType || thing.thingPrincipalType === input.thingPrincipalType);
    const things = all.slice(0, input.maxResults);
    const last = things.at(-1);
    return { things, next: all.length > things.length && last ? { nextToken: tokenAfter(last.thingName) } : {} };
  }

  private certificateIdOf(principal: string): string {
    const match = CERT_ARN.exec(principal);
    if (!match || !isInContext(this.arns, principal)) {
      throw new InvalidRequestException(
        `principal: must be the ARN of a certificate of this service (arn:${this.arns.partition}:iot:` +
          `${this.arns.region}:${this.arns.account}:cert/<certificateId>); other principals are not supported`,
      );
    }
    return match[1]!;
  }

  private thingNotFound(thingName: string) {
    return new ResourceNotFoundException(`Thing ${thingName} does not exist`);
  }

  private certificateNotFound(certificateId: string) {
    return new ResourceNotFoundException(`Certificate ${certificateId} does not exist`);
  }
}

const tokenAfter = (thingName: string) =>
  Buffer.from(JSON.stringify({ after: thingName }), 'utf8').toString('base64url');

function afterOf(token: string): string {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof body.after === 'string') return body.after;
  } catch {}
  throw new InvalidRequestException('nextToken: is not a token this list issued; start again without one');
}
