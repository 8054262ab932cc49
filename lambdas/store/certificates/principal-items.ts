import { MAX_THINGS_PER_CERTIFICATE, type ThingPrincipalType } from '../../jobs/certificates/certificate';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import type { QueryParams, TransactParams, UpdateParams } from '../table/table-params';

/**
 * A certificate attached to a thing: an item in the thing's partition (`PRINCIPAL#<certificateId>`, what
 * ListThingPrincipals reads) and the thing's name in the certificate's `things` set (what a device request reads).
 * Both are written in one transaction.
 */

const PRINCIPAL_CONDITION = {
  /**
   * Exclusively only where it is attached to no other thing (the set holds this thing alone, or nothing); the thing
   * goes on the set at most once.
   */
  exclusive: '(attribute_not_exists(things) OR (size(things) = :one AND contains(things, :thing)))',
  /** Not attached exclusively to another thing. */
  notExclusiveElsewhere: '(attribute_not_exists(exclusiveThing) OR exclusiveThing = :thing)',
  /** Room for one more thing (the set lives in the certificate item). */
  room: '(attribute_not_exists(things) OR contains(things, :thing) OR size(things) < :max)',
} as const;

/** Order of the writes: what a canceled transaction's reasons are read by. */
export const ATTACH_WRITE = { thing: 0, attachment: 1, certificate: 2 } as const;

export function attachWrites(
  thingName: string,
  certificateId: string,
  type: ThingPrincipalType,
  now: number,
): TransactParams[] {
  const exclusive = type === 'EXCLUSIVE_THING';
  const certificate: UpdateParams = {
    Key: keys.certificate(certificateId),
    UpdateExpression: `ADD things :things${exclusive ? ' SET exclusiveThing = :thing' : ''}`,
    ConditionExpression: [
      CONDITION.exists,
      PRINCIPAL_CONDITION.notExclusiveElsewhere,
      exclusive ? PRINCIPAL_CONDITION.exclusive : PRINCIPAL_CONDITION.room,
    ].join(' AND '),
    ExpressionAttributeValues: {
      ':things': new Set([thingName]),
      ':thing': thingName,
      ...(exclusive ? { ':one': 1 } : { ':max': MAX_THINGS_PER_CERTIFICATE }),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return [
    // The thing is there: an attachment never outlives its thing.
    { ConditionCheck: { Key: keys.thing(thingName), ConditionExpression: CONDITION.exists } },
    {
      Update: {
        Key: keys.thingPrincipal(thingName, certificateId),
        // Attached again without EXCLUSIVE_THING, an exclusive attachment stays exclusive.
        UpdateExpression: exclusive
          ? 'SET thingPrincipalType = :type, attachedAt = if_not_exists(attachedAt, :now)'
          : 'SET thingPrincipalType = if_not_exists(thingPrincipalType, :type), attachedAt = if_not_exists(attachedAt, :now)',
        ExpressionAttributeValues: { ':type': type, ':now': now },
      },
    },
    { Update: certificate },
  ];
}

/** The attachment gone, and the thing out of the certificate's set (and its exclusive mark, if it was the thing's). */
export function detachWrites(thingName: string, certificateId: string, wasExclusive: boolean): TransactParams[] {
  return [
    { Delete: { Key: keys.thingPrincipal(thingName, certificateId) } },
    {
      Update: {
        Key: keys.certificate(certificateId),
        UpdateExpression: `DELETE things :things${wasExclusive ? ' REMOVE exclusiveThing' : ''}`,
        ConditionExpression: CONDITION.exists,
        ExpressionAttributeValues: { ':things': new Set([thingName]) },
      },
    },
  ];
}

/** A thing's certificates, by ID; optionally of one attachment type, filtered as DynamoDB reads. */
export function thingPrincipalsQuery(thingName: string, type?: ThingPrincipalType): QueryParams {
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':pk': keys.thingPartition(thingName),
      ':prefix': keys.thingPrincipalPrefix,
      ...(type ? { ':type': type } : {}),
    },
    ...(type ? { FilterExpression: 'thingPrincipalType = :type' } : {}),
    ConsistentRead: true,
  };
}

export const thingPrincipalsPageKey = (thingName: string): PageKeyShape => ({
  attributes: [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey],
  fixed: () => ({ [JOBS_TABLE.partitionKey]: keys.thingPartition(thingName) }),
});
