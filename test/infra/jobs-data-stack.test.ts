import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTableInput } from '../../lambdas/store/table/table-design';
import { synthStacks } from '../support/synth';

const { dataTemplate } = synthStacks();
const byName = (a: { AttributeName: string }, b: { AttributeName: string }) =>
  a.AttributeName.localeCompare(b.AttributeName);
const table = () =>
  Object.values(dataTemplate.findResources('AWS::DynamoDB::Table'))[0] as {
    Properties: Record<string, any>;
    DeletionPolicy: string;
  };

describe('JobsDataStack', () => {
  it('has exactly one table', () => {
    dataTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('keys the table like the local definition', () => {
    const local = createTableInput('x');
    expect(table().Properties.KeySchema).toEqual(local.KeySchema);
  });

  it('declares the same LSI as the local definition: pending, sorted by pendingKey, all attributes projected', () => {
    const local = createTableInput('x');
    expect(table().Properties.LocalSecondaryIndexes).toEqual(local.LocalSecondaryIndexes);
  });

  it('declares the same GSI as the local definition: deadlines, sharded, sorted by deadline, keys only', () => {
    const local = createTableInput('x');
    expect(table().Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('types the deadline index keys as the local definition does (shard string, deadline number)', () => {
    const local = createTableInput('x');
    expect([...table().Properties.AttributeDefinitions].sort(byName)).toEqual(
      [...local.AttributeDefinitions].sort(byName),
    );
  });

  it('streams new and old images to the counts aggregator', () => {
    expect(table().Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it("expires the counts aggregator's batch markers by TTL", () => {
    expect(table().Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('bills on demand', () => {
    dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('keeps point-in-time recovery on', () => {
    dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('retains the table when the stack is deleted', () => {
    expect(table().DeletionPolicy).toBe('Retain');
  });

  it('keeps the construct ID of the table stable (renaming it would replace the table)', () => {
    expect(Object.keys(dataTemplate.findResources('AWS::DynamoDB::Table'))[0]).toMatch(/^JobsTable[0-9A-F]{8}$/);
    dataTemplate.hasResourceProperties(
      'AWS::DynamoDB::Table',
      Match.objectLike({
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'pendingKey', AttributeType: 'S' }]),
      }),
    );
  });
});
