import type { ExecutionAdminStore } from '../management/store';
import { type ArnContext, thingArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import { backOff } from '../shared/concurrency';
import {
  InvalidRequestException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  VersionConflictException,
} from '../shared/errors';
import type { CreateThingInput, DeleteThingInput, ListThingsInput, ThingNameInput, UpdateThingInput } from './inputs';
import type { ThingGroupStore, ThingStore, ThingWriteOutcome, TypeChange } from './store';
import { checkAttributeCount, sameThing, type ThingRecord, updatedAttributes } from './thing';
import { toThingAttributeView, toThingView } from './views';

/** Tries of an UpdateThing that met another update between its read and its write. */
const UPDATE_ATTEMPTS = 8;
/** A thing's executions read per page while DeleteThing removes them. */
const EXECUTIONS_PER_PAGE = 100;

/**
 * The thing registry: CreateThing, DescribeThing, ListThings, UpdateThing,
 * DeleteThing, with AWS IoT's rules, thing types included. There are no
 * billing groups here (the requests refuse them).
 */
export class ThingRegistry {
  constructor(
    private readonly things: ThingStore,
    private readonly executions: ExecutionAdminStore,
    private readonly memberships: Pick<ThingGroupStore, 'removeMemberships'>,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async createThing(input: CreateThingInput) {
    checkAttributeCount(input.attributes, input.thingTypeName);
    const thing: ThingRecord = {
      thingName: input.thingName,
      thingId: this.newId(),
      thingArn: thingArn(this.arns, input.thingName),
      attributes: input.attributes,
      ...(input.thingTypeName !== undefined ? { thingTypeName: input.thingTypeName } : {}),
      version: 1,
      createdAt: this.clock(),
    };
    const outcome = await this.things.createThing(thing);
    const created = outcome.applied ? thing : outcome.current;
    if (!created) throw typeRefused(outcome, input.thingTypeName, input.thingName);
    // The same CreateThing again is answered as the first was (AWS); another with other attributes or type is refused.
    if (
      !outcome.applied &&
      !sameThing(created.attributes, input.attributes, created.thingTypeName, input.thingTypeName)
    ) {
      throw new ResourceAlreadyExistsException(
        `Thing ${input.thingName} already exists with different attributes`,
        created.thingId,
        created.thingArn,
      );
    }
    return { thingName: created.thingName, thingArn: created.thingArn, thingId: created.thingId };
  }

  async describeThing(input: ThingNameInput) {
    return toThingView(await this.existing(input.thingName));
  }

  async listThings(input: ListThingsInput) {
    // No thing has a type here, so none is of the type asked for.
    const page = await this.things.listThings(input.attributeFilter, input, input.thingTypeName);
    return { things: page.items.map(toThingAttributeView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async updateThing(input: UpdateThingInput): Promise<object> {
    for (let attempt = 1; ; attempt++) {
      const thing = await this.existing(input.thingName);
      if (input.expectedVersion !== undefined && input.expectedVersion !== thing.version)
        throw this.versionConflict(thing, input.expectedVersion);
      const attributes = input.attributes
        ? updatedAttributes(thing.attributes, input.attributes, input.merge)
        : thing.attributes;
      const typeChange = typeChangeOf(thing, input);
      checkAttributeCount(attributes, typeChange ? typeChange.to : thing.thingTypeName);
      const outcome = await this.things.updateThing(input.thingName, attributes, thing.version, typeChange);
      if (outcome.applied) return {};
      if (outcome.typeRefusal) throw typeRefused(outcome, typeChange?.to, input.thingName);
      if (!outcome.current) throw new ResourceNotFoundException(`Thing ${input.thingName} does not exist`);
      // Another update came between the read and the write: with an expected version that is a conflict; without, read
      // again.
      if (input.expectedVersion !== undefined) throw this.versionConflict(outcome.current, input.expectedVersion);
      if (attempt === UPDATE_ATTEMPTS)
        throw new VersionConflictException(`Thing ${input.thingName} kept changing while it was being updated; retry`);
      await backOff(attempt);
    }
  }

  /**
   * Deletes the thing, its group memberships and every execution it has, as AWS does: a deleted
   * thing cannot hold a job back from completing, and a thing created again
   * under its name starts with no history. A thing that does not exist is no
   * error (AWS), and its leftover executions, if a deletion stopped part-way,
   * are removed all the same.
   */
  async deleteThing(input: DeleteThingInput): Promise<object> {
    // Marked first: a fan-out that writes this thing an execution after the sweep below sees the mark when it checks
    // its page.
    await this.things.markDeleted(input.thingName, this.clock());
    const outcome = await this.things.deleteThing(input.thingName, input.expectedVersion);
    if (!outcome.applied) {
      if (outcome.current) throw this.versionConflict(outcome.current, input.expectedVersion!);
      // Expected a version of a thing that does not exist: nothing to delete but its leftovers.
    }
    await this.deleteExecutionsOf(input.thingName);
    await this.memberships.removeMemberships(input.thingName);
    return {};
  }

  private async deleteExecutionsOf(thingName: string): Promise<void> {
    for (;;) {
      // Always the first page: what is deleted leaves it.
      const page = await this.executions.listExecutionsForThing(thingName, {}, { maxResults: EXECUTIONS_PER_PAGE });
      if (page.items.length === 0) return;
      await this.executions.deleteExecutions(page.items.map((execution) => ({ thingName, jobId: execution.jobId })));
    }
  }

  private async existing(thingName: string): Promise<ThingRecord> {
    const thing = await this.things.getThing(thingName);
    if (!thing) throw new ResourceNotFoundException(`Thing ${thingName} does not exist`);
    return thing;
  }

  private versionConflict(thing: ThingRecord, expected: number): VersionConflictException {
    return new VersionConflictException(`Thing ${thing.thingName} is at version ${thing.version}, not ${expected}`);
  }
}

/** The type an UpdateThing gives the thing, if it changes it: a type named, or none with removeThingType. */
function typeChangeOf(thing: ThingRecord, input: UpdateThingInput): TypeChange | undefined {
  const to = input.removeThingType ? undefined : (input.thingTypeName ?? thing.thingTypeName);
  return to === thing.thingTypeName ? undefined : { from: thing.thingTypeName, to };
}

/** Why a thing could not be given its type: the type is missing (404, as AWS), or deprecated. */
function typeRefused(outcome: ThingWriteOutcome, thingTypeName: string | undefined, thingName: string): Error {
  const refusal = outcome.applied ? undefined : outcome.typeRefusal;
  if (refusal === 'missing') return new ResourceNotFoundException(`Thing type ${thingTypeName} does not exist`);
  if (refusal === 'deprecated') {
    return new InvalidRequestException(
      `Thing type ${thingTypeName} is deprecated: no thing may be given it (undo the deprecation first)`,
    );
  }
  return new Error(`The write of thing ${thingName} was refused, yet neither the thing nor its type says why`);
}
