import type { ArnContext } from '../../shared/arns';
import { thingTypeArn } from '../../shared/arns';
import type { Clock } from '../../shared/clock';
import {
  InvalidRequestException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '../../shared/errors';
import type { PageQuery } from '../../shared/ports';
import type { ThingTypeStore } from './store';
import {
  DELETE_AFTER_DEPRECATION_MS,
  sameProperties,
  type ThingTypeProperties,
  type ThingTypeRecord,
  whyNotDeletable,
} from './thing-type';
import { toThingTypeDefinition, toThingTypeView } from './views';

export interface CreateThingTypeInput {
  thingTypeName: string;
  properties: ThingTypeProperties;
}

export interface ThingTypeNameInput {
  thingTypeName: string;
}

export interface ListThingTypesInput extends PageQuery {
  /** Only the types whose names start with it (as AWS filters). */
  thingTypeName?: string;
}

export interface DeprecateThingTypeInput {
  thingTypeName: string;
  undoDeprecate: boolean;
}

export interface UpdateThingTypeInput {
  thingTypeName: string;
  properties: ThingTypeProperties;
}

/**
 * Thing types: CreateThingType, DescribeThingType, ListThingTypes, DeprecateThingType, UpdateThingType and
 * DeleteThingType, with AWS IoT's rules. Which things are of a type, and whether a type may be given to a thing, the
 * thing registry's writes settle with the type's item (ThingStore).
 */
export class ThingTypes {
  constructor(
    private readonly types: ThingTypeStore,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async createThingType(input: CreateThingTypeInput) {
    const type: ThingTypeRecord = {
      thingTypeName: input.thingTypeName,
      thingTypeId: this.newId(),
      thingTypeArn: thingTypeArn(this.arns, input.thingTypeName),
      properties: input.properties,
      createdAt: this.clock(),
      thingCount: 0,
    };
    const outcome = await this.types.createType(type);
    const created = outcome.applied ? type : outcome.current;
    if (!created) throw new Error(`CreateThingType ${input.thingTypeName} was refused, yet no such type exists`);
    // The same CreateThingType again is answered as the first was (AWS); other properties are refused.
    if (!outcome.applied && !sameProperties(created.properties, input.properties)) {
      throw new ResourceAlreadyExistsException(
        `Thing type ${input.thingTypeName} already exists with different properties`,
        created.thingTypeId,
        created.thingTypeArn,
      );
    }
    return {
      thingTypeName: created.thingTypeName,
      thingTypeArn: created.thingTypeArn,
      thingTypeId: created.thingTypeId,
    };
  }

  async describeThingType(input: ThingTypeNameInput) {
    return toThingTypeView(await this.existing(input.thingTypeName));
  }

  async listThingTypes(input: ListThingTypesInput) {
    const page = await this.types.listTypes(input.thingTypeName, input);
    return {
      thingTypes: page.items.map(toThingTypeDefinition),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async deprecateThingType(input: DeprecateThingTypeInput): Promise<object> {
    const found = await this.types.setDeprecated(input.thingTypeName, input.undoDeprecate ? undefined : this.clock());
    if (!found) throw this.notFound(input.thingTypeName);
    return {};
  }

  async updateThingType(input: UpdateThingTypeInput): Promise<object> {
    if (!(await this.types.updateProperties(input.thingTypeName, input.properties)))
      throw this.notFound(input.thingTypeName);
    return {};
  }

  /**
   * Deleted once it has been deprecated 5 minutes (on the service's clock) and no thing is of it, as AWS requires;
   * the store's condition checks both in the delete itself, so a thing given the type meanwhile keeps it.
   */
  async deleteThingType(input: ThingTypeNameInput): Promise<object> {
    const now = this.clock();
    const outcome = await this.types.deleteType(input.thingTypeName, now - DELETE_AFTER_DEPRECATION_MS);
    if (outcome.applied) return {};
    if (!outcome.current) throw this.notFound(input.thingTypeName);
    throw new InvalidRequestException(
      whyNotDeletable(outcome.current, now) ?? `Thing type ${input.thingTypeName} changed while it was being deleted`,
    );
  }

  private async existing(thingTypeName: string): Promise<ThingTypeRecord> {
    const type = await this.types.getType(thingTypeName);
    if (!type) throw this.notFound(thingTypeName);
    return type;
  }

  private notFound(thingTypeName: string): ResourceNotFoundException {
    return new ResourceNotFoundException(`Thing type ${thingTypeName} does not exist`);
  }
}
